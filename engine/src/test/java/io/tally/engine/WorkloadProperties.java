package io.tally.engine;

import static io.tally.engine.TestNetwork.BANK_A;
import static io.tally.engine.TestNetwork.BANK_B;
import static io.tally.engine.TestNetwork.GENESIS;
import static io.tally.engine.TestNetwork.leg;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.keys.SigningKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Random workloads of payments, two-leg settlements, reservations, commits, cancels, resubmissions,
 * forged signers and passing time, cut into random blocks. After every block: debits equal credits
 * per asset (posted and pending separately), no-overdraft accounts never go below zero, and an id
 * is applied at most once. Three engines run side by side: one straight, one fed the same blocks,
 * one snapshotted and restored at random blocks; all three give identical outcome bytes, roots and
 * digests.
 */
class WorkloadProperties {

  static final List<String> EUR = List.of("a-issue", "a-eur", "a-eur2", "b-eur", "b-eur2");
  static final List<String> BOND = List.of("b-issue", "b-bond", "a-bond");

  /** One step of a workload; indices are reduced modulo what exists when it runs. */
  sealed interface Op {}

  record Pay(int from, int to, long amount, boolean wrongSigner) implements Op {}

  record DvP(int cashFrom, int cashTo, long cash, int bondFrom, int bondTo, long bonds)
      implements Op {}

  record Reserve(int from, int to, long amount, long ttlMs) implements Op {}

  record Close(int reservation, boolean commit) implements Op {}

  record Resubmit(int instruction, boolean alter) implements Op {}

  record Advance(long ms) implements Op {}

  record EndBlock(boolean snapshot) implements Op {}

  @Provide
  Arbitrary<Op> ops() {
    Arbitrary<Integer> index = Arbitraries.integers().between(0, 50);
    Arbitrary<Long> amount = Arbitraries.longs().between(1, 1_500);
    return Arbitraries.frequencyOf(
        Tuple.of(
            8,
            Combinators.combine(
                    index,
                    index,
                    amount,
                    Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true)))
                .as((f, t, a, w) -> (Op) new Pay(f, t, a, w))),
        Tuple.of(
            3,
            Combinators.combine(
                    index, index, amount, index, index, Arbitraries.longs().between(1, 60))
                .as((cf, ct, c, bf, bt, b) -> (Op) new DvP(cf, ct, c, bf, bt, b))),
        Tuple.of(
            3,
            Combinators.combine(index, index, amount, Arbitraries.longs().between(1, 20_000))
                .as((f, t, a, ttl) -> (Op) new Reserve(f, t, a, ttl))),
        Tuple.of(
            3,
            Combinators.combine(index, Arbitraries.of(true, false))
                .as((r, c) -> (Op) new Close(r, c))),
        Tuple.of(
            2,
            Combinators.combine(index, Arbitraries.of(true, false))
                .as((i, a) -> (Op) new Resubmit(i, a))),
        Tuple.of(2, Arbitraries.longs().between(0, 15_000).map(ms -> (Op) new Advance(ms))),
        Tuple.of(3, Arbitraries.of(true, false).map(s -> (Op) new EndBlock(s))));
  }

  @Property(tries = 60)
  void invariantsHoldAndReplicasAgree(
      @ForAll @Size(min = 20, max = 120) List<@net.jqwik.api.From("ops") Op> ops) {
    TestNetwork net = new TestNetwork();
    Engine straight = new Engine(GENESIS, Rules.DEFAULT, 0);
    Engine twin = new Engine(GENESIS, Rules.DEFAULT, 0);
    Engine restored = new Engine(GENESIS, Rules.DEFAULT, 0);

    List<LogRecord> setup = new ArrayList<>(net.world());
    setup.add(net.instruction(net.openAccount(net.id(), "a-eur2", "bank-a", "EUR"), BANK_A));
    setup.add(net.instruction(net.openAccount(net.id(), "b-eur2", "bank-b", "EUR"), BANK_B));
    List<List<LogRecord>> blocks = new ArrayList<>();
    blocks.add(setup);
    List<Boolean> snapshotAfter = new ArrayList<>();
    snapshotAfter.add(false);

    List<byte[]> instructions = new ArrayList<>();
    List<SigningKey> instructionSigners = new ArrayList<>();
    List<String> reservations = new ArrayList<>();
    List<LogRecord> current = new ArrayList<>();
    for (Op op : ops) {
      if (op instanceof EndBlock end) {
        if (!current.isEmpty()) {
          blocks.add(current);
          snapshotAfter.add(end.snapshot());
          current = new ArrayList<>();
        }
        continue;
      }
      if (op instanceof Advance advance) {
        net.now += advance.ms();
        continue;
      }
      byte[] payload;
      SigningKey[] signers;
      if (op instanceof Pay pay) {
        String from = EUR.get(pay.from() % EUR.size());
        String to = EUR.get(pay.to() % EUR.size());
        if (from.equals(to)) {
          continue;
        }
        payload = net.settle(net.id(), leg(from, to, "EUR", pay.amount()));
        SigningKey owner = from.startsWith("a") ? BANK_A : BANK_B;
        signers =
            new SigningKey[] {pay.wrongSigner() ? (owner == BANK_A ? BANK_B : BANK_A) : owner};
      } else if (op instanceof DvP dvp) {
        String cashFrom = EUR.get(dvp.cashFrom() % EUR.size());
        String cashTo = EUR.get(dvp.cashTo() % EUR.size());
        String bondFrom = BOND.get(dvp.bondFrom() % BOND.size());
        String bondTo = BOND.get(dvp.bondTo() % BOND.size());
        if (cashFrom.equals(cashTo) || bondFrom.equals(bondTo)) {
          continue;
        }
        payload =
            net.settle(
                net.id(),
                leg(cashFrom, cashTo, "EUR", dvp.cash()),
                leg(bondFrom, bondTo, "BOND", dvp.bonds()));
        signers = new SigningKey[] {BANK_A, BANK_B};
      } else if (op instanceof Reserve reserve) {
        String from = EUR.get(reserve.from() % EUR.size());
        String to = EUR.get(reserve.to() % EUR.size());
        if (from.equals(to)) {
          continue;
        }
        String id = net.id();
        payload =
            net.reserve(
                id, net.now + reserve.ttlMs(), List.of(), leg(from, to, "EUR", reserve.amount()));
        signers = new SigningKey[] {from.startsWith("a") ? BANK_A : BANK_B};
        reservations.add(id);
      } else if (op instanceof Close close) {
        if (reservations.isEmpty()) {
          continue;
        }
        String reservation = reservations.get(close.reservation() % reservations.size());
        payload = net.close(net.id(), close.commit() ? "commit" : "cancel", reservation);
        signers = new SigningKey[] {BANK_A, BANK_B};
      } else if (op instanceof Resubmit resubmit) {
        if (instructions.isEmpty()) {
          continue;
        }
        int k = resubmit.instruction() % instructions.size();
        payload = instructions.get(k);
        if (resubmit.alter()) {
          String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
          payload =
              text.replace("\"amount\":\"", "\"amount\":\"1")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        signers = new SigningKey[] {instructionSigners.get(k)};
      } else {
        throw new AssertionError(op);
      }
      instructions.add(payload);
      instructionSigners.add(signers[0]);
      current.add(net.instruction(payload, signers));
    }
    if (!current.isEmpty()) {
      blocks.add(current);
      snapshotAfter.add(false);
    }

    Map<String, Integer> appliedPerId = new HashMap<>();
    for (int b = 0; b < blocks.size(); b++) {
      BlockResult result = straight.execute(blocks.get(b));
      BlockResult twinResult = twin.execute(blocks.get(b));
      BlockResult restoredResult = restored.execute(blocks.get(b));

      assertSameBlock(twinResult, result);
      assertSameBlock(restoredResult, result);
      if (snapshotAfter.get(b)) {
        restored = Engine.restore(GENESIS, Rules.DEFAULT, restored.snapshot());
        assertThat(restored.stateDigest()).isEqualTo(straight.stateDigest());
        assertThat(restored.snapshot()).isEqualTo(straight.snapshot());
      }
      for (Outcome outcome : result.outcomes()) {
        if (b > 0) {
          Statistics.label("outcome").collect(outcome.code());
        }
        if (outcome.code().accepted() && !outcome.isResubmission() && outcome.id().isPresent()) {
          appliedPerId.merge(outcome.id().get(), 1, Integer::sum);
        }
      }
      assertConservation(straight);
    }
    assertThat(appliedPerId.values()).allMatch(count -> count == 1);
    // The workload must exercise the rules, not only pass them.
    Statistics.label("outcome")
        .coverage(
            coverage -> {
              coverage.check(Code.ACCEPTED).percentage(p -> p > 15);
              for (Code code :
                  List.of(
                      Code.INSUFFICIENT_FUNDS,
                      Code.DEBTOR_SIGNATURE_MISSING,
                      Code.RESERVATION_CLOSED,
                      Code.DUPLICATE_CONFLICT)) {
                coverage.check(code).count(n -> n > 0);
              }
            });
  }

  private static void assertSameBlock(BlockResult actual, BlockResult expected) {
    assertThat(actual.header().toBytes()).isEqualTo(expected.header().toBytes());
    assertThat(actual.outcomes()).hasSameSizeAs(expected.outcomes());
    for (int i = 0; i < expected.outcomes().size(); i++) {
      assertThat(actual.outcomes().get(i).toBytes())
          .isEqualTo(expected.outcomes().get(i).toBytes());
    }
  }

  static void assertConservation(Engine engine) {
    Map<String, long[]> totals = new HashMap<>();
    for (AccountView account : engine.accounts()) {
      long[] t = totals.computeIfAbsent(account.asset(), a -> new long[4]);
      t[0] = Math.addExact(t[0], account.postedDebits());
      t[1] = Math.addExact(t[1], account.postedCredits());
      t[2] = Math.addExact(t[2], account.pendingDebits());
      t[3] = Math.addExact(t[3], account.pendingCredits());
      assertThat(account.pendingDebits()).isNotNegative();
      assertThat(account.pendingCredits()).isNotNegative();
      if (!account.issuance() && !account.overdraft()) {
        assertThat(account.available()).as(account.id()).isNotNegative();
      }
    }
    for (Map.Entry<String, long[]> asset : totals.entrySet()) {
      long[] t = asset.getValue();
      assertThat(t[0]).as("posted debits = credits of " + asset.getKey()).isEqualTo(t[1]);
      assertThat(t[2]).as("pending debits = credits of " + asset.getKey()).isEqualTo(t[3]);
    }
  }
}
