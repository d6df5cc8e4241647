package io.tally.engine;

import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A populated engine for benchmarks: the test network's world (bank-a issues EUR, bank-b issues
 * BOND) plus {@code accountsPerBank} funded EUR and BOND accounts for each bank, opened through
 * pre-verified entries (signatures are not what these benchmarks measure).
 */
final class BenchWorld {

  static final long FUNDS = 1_000_000_000_000L;

  final TestNetwork net = new TestNetwork();
  final Engine engine = new Engine(TestNetwork.GENESIS, 0);
  final int accountsPerBank;
  final String bankAKey = TestNetwork.BANK_A.keyId();
  final String bankBKey = TestNetwork.BANK_B.keyId();
  private long offset = 1_000_000;
  private long id;
  long time = TestNetwork.T0;

  BenchWorld(int accountsPerBank, boolean fund) {
    this.accountsPerBank = accountsPerBank;
    engine.execute(net.world());
    List<PreVerified> block = new ArrayList<>();
    for (int i = 0; i < accountsPerBank; i++) {
      block.add(
          entry(new Command.OpenAccount(eur("a", i), "bank-a", "EUR", false, false), bankAKey));
      block.add(
          entry(new Command.OpenAccount(eur("b", i), "bank-b", "EUR", false, false), bankBKey));
      block.add(
          entry(new Command.OpenAccount(bond("a", i), "bank-a", "BOND", false, false), bankAKey));
      block.add(
          entry(new Command.OpenAccount(bond("b", i), "bank-b", "BOND", false, false), bankBKey));
      if (fund) {
        block.add(entry(settle(new Command.Leg("a-issue", eur("a", i), "EUR", FUNDS)), bankAKey));
        block.add(entry(settle(new Command.Leg("b-issue", bond("b", i), "BOND", FUNDS)), bankBKey));
      }
      flushIfFull(block, 6);
    }
    if (!block.isEmpty()) {
      engine.apply(block);
    }
    time += 2_000;
  }

  private void flushIfFull(List<PreVerified> block, int headroom) {
    if (block.size() + headroom > Rules.DEFAULT.blockEntriesMax()) {
      engine.apply(new ArrayList<>(block));
      block.clear();
      time += 2_000; // lets the remembered ids of the last block expire
    }
  }

  static String eur(String bank, int i) {
    return bank + "-eur-" + i;
  }

  static String bond(String bank, int i) {
    return bank + "-bond-" + i;
  }

  static Command.Settle settle(Command.Leg... legs) {
    return new Command.Settle(List.of(legs));
  }

  /** A pre-verified instruction entry signed (as far as apply can tell) by {@code keyIds}. */
  PreVerified entry(Command command, String... keyIds) {
    id++;
    String instructionId = "b-" + id;
    Hash hash = Sha256.of(instructionId.getBytes(StandardCharsets.UTF_8));
    return new PreVerified.Signed(
        offset++,
        time,
        hash,
        null,
        false,
        instructionId,
        time + 1_000,
        hash,
        command,
        Code.ACCEPTED,
        Code.ACCEPTED,
        List.of(keyIds),
        null);
  }

  /** A block of {@code size} settlements of 1 minor unit with {@code legs} legs each (1 or 2). */
  List<PreVerified> settlements(int size, int legs, java.util.SplittableRandom random) {
    time += 2_000;
    List<PreVerified> block = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int a = random.nextInt(accountsPerBank);
      int b = random.nextInt(accountsPerBank);
      Command.Leg cash = new Command.Leg(eur("a", a), eur("b", b), "EUR", 1);
      if (legs == 1) {
        block.add(entry(settle(cash), bankAKey));
      } else {
        Command.Leg bonds = new Command.Leg(bond("b", b), bond("a", a), "BOND", 1);
        block.add(entry(settle(cash, bonds), bankAKey, bankBKey));
      }
    }
    return block;
  }
}
