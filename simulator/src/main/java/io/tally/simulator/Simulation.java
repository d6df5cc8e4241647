package io.tally.simulator;

import io.tally.engine.AccountView;
import io.tally.engine.BlockResult;
import io.tally.engine.Code;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.Outcome;
import io.tally.engine.TestNetwork;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.FinalizedEvent;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;

/**
 * One simulated run: four validators (one of them, in two runs of three, Byzantine), a ledger and a
 * gateway over a {@link SimBroker}, all stepped on this thread in an order drawn from the seed. A
 * first phase injects faults; a quiet phase then restarts every node, stops the faults and requires
 * every acknowledged instruction to become final within a bound. The invariants are checked at
 * every commit and at the end; a broken one throws a {@link Violation} naming the seed and the
 * step.
 */
public final class Simulation {

  /**
   * How a run is shaped.
   *
   * @param steps steps of the faulty phase
   * @param quietStepsMax steps the quiet phase may take before finalization counts as stalled
   * @param instructions settlements the gateway submits
   * @param faults whether the first phase injects faults
   * @param quorumDelta added to the genesis' quorum in the ledger's vote counting: anything but 0
   *     is a planted bug
   * @param store makes the ledger's store; a planted bug may give another
   */
  public record Options(
      int steps,
      int quietStepsMax,
      int instructions,
      boolean faults,
      int quorumDelta,
      Function<Invariants, SimLedgerStore> store) {

    /** What every CI run uses: a short run per seed. */
    public static Options standard() {
      return new Options(1_000, 20_000, 12, true, 0, SimLedgerStore::new);
    }

    /** The long mode: ten times the steps and instructions per seed. */
    public static Options longRun() {
      return new Options(10_000, 60_000, 120, true, 0, SimLedgerStore::new);
    }

    public Options withQuorumDelta(int delta) {
      return new Options(steps, quietStepsMax, instructions, faults, delta, store);
    }

    public Options withStore(Function<Invariants, SimLedgerStore> planted) {
      return new Options(steps, quietStepsMax, instructions, faults, quorumDelta, planted);
    }
  }

  /**
   * What a run did.
   *
   * @param recoverySteps steps of the quiet phase until every acknowledged instruction was final
   * @param recoveryMs simulated milliseconds of the same
   */
  public record Report(
      long seed,
      String byzantine,
      long height,
      long acknowledged,
      long settlementsChecked,
      long delivered,
      long dropped,
      long duplicated,
      long copied,
      long reordered,
      long unacknowledged,
      long validatorCrashes,
      long disksLost,
      long ledgerCrashes,
      long commitCrashes,
      long clockJumps,
      long attackerWrites,
      long replicaCrashes,
      long finalityLies,
      long hintsRefused,
      long recoverySteps,
      long recoveryMs) {}

  private final long seed;
  private final Options options;
  private final Random random;
  private final SimClock clock = new SimClock(TestNetwork.T0);
  private final SimBroker broker = new SimBroker(clock);
  private final Invariants invariants = new Invariants();
  private final Genesis genesis = TestNetwork.GENESIS;
  private final List<SimValidator> validators = new ArrayList<>();
  private final SimLedger ledger;
  private final SimGateway gateway;
  private final SimReplica replica;
  // Another ledger instance of the genesis, lying: it seals finality events that certify nothing.
  private final EnvelopeWriter liar =
      new EnvelopeWriter("ledger-2", Stream.finalized(0), 1, TestNetwork.key("ledger-2"));
  private long lies;
  private final SimValidator.Behaviour byzantineBehaviour;
  private long step;
  // Whether the broker may fail writes now: in the faulty phase of a run with faults.
  private boolean faulty;
  private long clockJumps;
  private long attackerWrites;

  private Simulation(long seed, Options options) {
    this.seed = seed;
    this.options = options;
    this.random = new Random(seed);
    TestNetwork net = new TestNetwork();
    net.now = clock.millis();
    for (LogRecord record : net.world()) {
      broker.append(SimBroker.Topic.LOG, record.value());
    }
    int byzantine = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(4);
    SimValidator.Behaviour[] lies = SimValidator.Behaviour.values();
    this.byzantineBehaviour =
        byzantine == 0 ? SimValidator.Behaviour.HONEST : lies[1 + random.nextInt(lies.length - 1)];
    for (int place = 1; place <= 4; place++) {
      validators.add(
          new SimValidator(
              place,
              place == byzantine ? byzantineBehaviour : SimValidator.Behaviour.HONEST,
              genesis,
              broker,
              clock,
              random,
              () -> faulty,
              invariants));
    }
    this.ledger =
        new SimLedger(
            genesis,
            broker,
            clock,
            random,
            options.store().apply(invariants),
            genesis.validators().threshold() + options.quorumDelta(),
            invariants);
    this.gateway = new SimGateway(net, broker, clock, random);
    this.replica = new SimReplica(genesis, broker, random, invariants);
  }

  /**
   * Runs seed {@code seed}.
   *
   * @throws Violation if an invariant breaks; its message names the seed and the step
   */
  public static Report run(long seed, Options options) {
    Simulation simulation = new Simulation(seed, options);
    try {
      return simulation.run();
    } catch (Violation | AssertionError e) {
      throw new Violation("seed " + seed + ", step " + simulation.step + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Violation("seed " + seed + ": interrupted");
    }
  }

  private Report run() throws InterruptedException {
    validators.forEach(SimValidator::start);
    ledger.start();
    replica.start();
    faulty = options.faults();
    for (; step < options.steps(); step++) {
      faultyStep();
      checkNotHalted();
    }
    faulty = false;
    long quietFrom = step;
    long quietFromMs = clock.millis();
    broker.resetClock();
    for (SimValidator validator : validators) {
      if (!validator.up()) {
        validator.start();
      }
    }
    if (!ledger.up()) {
      ledger.start();
    }
    if (!replica.up()) {
      replica.start();
    }
    ledger.store.nextCommit = SimLedgerStore.Crash.NONE;
    while (!quiescent()) {
      if (step - quietFrom >= options.quietStepsMax()) {
        throw new Violation(
            "finalization did not resume within "
                + options.quietStepsMax()
                + " steps after the faults stopped: ledger at height "
                + ledger.store.height()
                + ", waiting: "
                + ledger.status.waiting()
                + ", "
                + unfinal()
                + " acknowledged instructions not final; last failure of an attempt: "
                + invariants.lastFailure
                + "; validators up "
                + validators.stream().filter(SimValidator::up).count());
      }
      quietStep();
      checkNotHalted();
      step++;
    }
    checkAgainstAReplay();
    SimBroker.Counts counts = broker.counts;
    long validatorCrashes = validators.stream().mapToLong(v -> v.crashes).sum();
    long disksLost = validators.stream().mapToLong(v -> v.disksLost).sum();
    return new Report(
        seed,
        byzantineBehaviour.name(),
        ledger.store.height(),
        gateway.acknowledged().size(),
        invariants.settlementsChecked,
        counts.delivered,
        counts.dropped,
        counts.duplicated,
        counts.copied,
        counts.reordered,
        counts.unacknowledged,
        validatorCrashes,
        disksLost,
        ledger.crashes,
        ledger.store.crashes,
        clockJumps,
        attackerWrites,
        replica.crashes,
        lies,
        replica.hintsRefused(),
        step - quietFrom,
        clock.millis() - quietFromMs);
  }

  private void faultyStep() throws InterruptedException {
    clock.advance(random.nextInt(20));
    gateway.tick();
    int roll = random.nextInt(100);
    if (roll < 30) {
      broker.deliverOne(random, options.faults());
    } else if (roll < 55) {
      validators.get(random.nextInt(validators.size())).step();
    } else if (roll < 64) {
      ledger.step();
    } else if (roll < 67) {
      ledger.relay(options.faults());
    } else if (roll < 70) {
      replica.step();
    } else if (roll < 78) {
      if (gateway.submitted() < options.instructions()) {
        gateway.submit();
      }
    } else if (!options.faults() || roll < 80) {
      clock.advance(random.nextInt(500));
    } else {
      fault(roll);
    }
  }

  private void fault(int roll) {
    SimValidator validator = validators.get(random.nextInt(validators.size()));
    if (roll < 83) {
      if (validator.up()) {
        validator.crash(random.nextInt(3) == 0);
      }
    } else if (roll < 87) {
      if (!validator.up()) {
        validator.start();
      }
    } else if (roll < 88) {
      if (ledger.up()) {
        ledger.crash();
      } else if (replica.up()) {
        replica.crash();
      } else {
        replica.start();
      }
    } else if (roll < 89) {
      ledger.store.nextCommit =
          random.nextBoolean()
              ? SimLedgerStore.Crash.BEFORE_TRANSACTION
              : SimLedgerStore.Crash.AFTER_TRANSACTION;
    } else if (roll < 92) {
      if (!ledger.up()) {
        ledger.start();
      }
    } else if (roll < 93) {
      clockJumps++;
      broker.skewClock(random.nextInt(120_001) - 60_000);
    } else if (roll < 94) {
      lie();
    } else if (roll < 95) {
      for (SimValidator candidate : validators) {
        if (candidate.behaviour != SimValidator.Behaviour.HONEST) {
          attackerWrites++;
          candidate.writeAsAttacker();
        }
      }
    } else {
      clock.advance(random.nextInt(2_000));
    }
  }

  private void quietStep() throws InterruptedException {
    clock.advance(1 + random.nextInt(20));
    gateway.tick();
    int roll = random.nextInt(12);
    if (roll < 4 && broker.inFlight() > 0) {
      broker.deliverOne(random, false);
    } else if (roll < 8) {
      validators.get(random.nextInt(validators.size())).step();
    } else if (roll < 10) {
      ledger.step();
    } else if (roll < 11) {
      ledger.relay(false);
    } else {
      replica.step();
    }
  }

  /**
   * A finality event sealed by the other ledger instance of the genesis that certifies nothing: a
   * real event's certificate under a header of another state, or bytes that are no event.
   */
  private void lie() {
    lies++;
    byte[] body;
    List<byte[]> outbox = ledger.store.outbox;
    if (!outbox.isEmpty() && random.nextBoolean()) {
      try {
        FinalizedEvent real = FinalizedEvent.parse(outbox.get(random.nextInt(outbox.size())));
        BlockHeader h = real.header();
        BlockHeader other =
            new BlockHeader(
                h.network(),
                h.shard(),
                h.height() + 1,
                h.prev(),
                h.entryCount(),
                h.entries(),
                h.results(),
                h.state(),
                h.logTime(),
                h.firstOffset(),
                h.lastOffset());
        body = FinalizedEvent.toBytes(other, real.certificate());
      } catch (VerificationException e) {
        throw new AssertionError("the ledger's own finality event does not parse", e);
      }
    } else {
      body = ("not an event " + random.nextLong()).getBytes(StandardCharsets.US_ASCII);
    }
    broker.send(
        new SimBroker.Write(
            SimBroker.Topic.FINALIZED,
            "ledger-2",
            liar.next(EnvelopeType.FINALIZED, body).toBytes(),
            () -> {},
            () -> {}));
  }

  private void checkNotHalted() {
    String halted = ledger.halted();
    if (halted != null) {
      throw new Violation("the ledger halted: " + halted);
    }
    String replicaHalted = replica.halted();
    if (replicaHalted != null) {
      throw new Violation("the replica halted: " + replicaHalted);
    }
  }

  private boolean quiescent() {
    return broker.inFlight() == 0
        && !gateway.retrying()
        && unfinal() == 0
        && replica.certifiedHeight() == ledger.store.height();
  }

  private long unfinal() {
    return gateway.acknowledged().stream().filter(id -> !invariants.isFinal(id)).count();
  }

  /**
   * The ledger's store against a fresh engine fed with the records of each committed block: the
   * same headers, and balances equal to the engine's accounts.
   */
  private void checkAgainstAReplay() {
    for (String id : gateway.acknowledged()) {
      Optional<Code> served = replica.outcome(id).map(Outcome::code);
      if (!served.equals(Optional.ofNullable(invariants.outcome(id)))) {
        throw new Violation(
            "the replica serves "
                + served
                + " for "
                + id
                + " where the ledger committed "
                + invariants.outcome(id));
      }
    }
    Engine reference = new Engine(genesis, 0);
    for (Map.Entry<Long, List<LogRecord>> block : ledger.store.records().entrySet()) {
      Optional<BlockResult> closed = Optional.empty();
      for (LogRecord record : block.getValue()) {
        closed = reference.offer(reference.preVerify(record));
      }
      BlockHeader stored = ledger.store.headers().get(block.getKey());
      if (closed.isEmpty() || !closed.get().header().equals(stored)) {
        throw new Violation(
            "replaying the committed records does not give the committed header at height "
                + block.getKey());
      }
    }
    for (AccountView account : ledger.store.balances().values()) {
      Optional<AccountView> computed = reference.account(account.id());
      if (computed.isEmpty() || !computed.get().equals(account)) {
        throw new Violation(
            "the ledger's balance of " + account.id() + " differs from the engine's");
      }
    }
  }
}
