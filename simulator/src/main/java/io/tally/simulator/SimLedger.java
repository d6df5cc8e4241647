package io.tally.simulator;

import io.tally.engine.TestNetwork;
import io.tally.follower.ChainFollower;
import io.tally.follower.ParallelPreVerifier;
import io.tally.follower.VoteCertifier;
import io.tally.ledger.blocks.application.LedgerPolicy;
import io.tally.ledger.blocks.application.LedgerStatus;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.SigningKey;
import java.time.Duration;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The ledger: the real {@link LedgerPolicy} on the real {@link ChainFollower}, certifying from the
 * simulated votes topic, committing on the follower's thread to a {@link SimLedgerStore}.
 */
final class SimLedger {

  final SimLedgerStore store;
  final LedgerStatus status = new LedgerStatus();
  private final ChainFollower follower;
  private final Invariants invariants;
  private ChainFollower.@Nullable Attempt attempt;
  private @Nullable EnvelopeWriter relay;
  private final SimBroker broker;
  private final SimClock clock;
  private final Random random;
  private final SigningKey key = TestNetwork.LEDGER;
  int crashes;

  SimLedger(
      Genesis genesis,
      SimBroker broker,
      SimClock clock,
      Random random,
      SimLedgerStore store,
      int quorum,
      Invariants invariants) {
    this.store = store;
    this.invariants = invariants;
    this.broker = broker;
    this.clock = clock;
    this.random = random;
    LedgerPolicy policy =
        new LedgerPolicy(
            genesis,
            VoteCertifier.withQuorum(
                genesis, 0, () -> broker.voteReader(1 + random.nextInt(64)), Duration.ZERO, quorum),
            store,
            new LedgerPolicy.Settings(0, 5, 4, 0),
            status,
            (block, appendToCommitMs, writeMs) -> {},
            clock);
    this.follower =
        new ChainFollower(
            genesis,
            () -> broker.logReader(1 + random.nextInt(64)),
            ParallelPreVerifier.sequential(),
            clock,
            new ChainFollower.Settings(
                "ledger", 0, Duration.ZERO, 4, Duration.ofMinutes(10), Duration.ofSeconds(1)),
            policy);
  }

  boolean up() {
    return attempt != null;
  }

  /** Why the ledger stopped for good, or null. */
  @Nullable String halted() {
    return status.halted();
  }

  void start() {
    attempt = follower.start();
    // A new epoch of the ledger's finality envelopes, as a restarted instance opens one.
    relay = new EnvelopeWriter("ledger-1", Stream.finalized(0), clock.millis() + crashes, key);
  }

  /**
   * The outbox relay: publishes the next finality event not acknowledged yet, sealed by this ledger
   * instance; one the broker did not acknowledge is sent again (at least once).
   */
  void relay(boolean faults) {
    EnvelopeWriter writer = relay;
    if (writer == null || store.outboxSent >= store.outbox.size()) {
      return;
    }
    byte[] event =
        writer.next(EnvelopeType.FINALIZED, store.outbox.get(store.outboxSent)).toBytes();
    if (broker.deliver(
        new SimBroker.Write(SimBroker.Topic.FINALIZED, "ledger-1", event, () -> {}, () -> {}),
        random,
        faults)) {
      store.outboxSent++;
    }
  }

  void step() throws InterruptedException {
    ChainFollower.Attempt current = attempt;
    if (current == null || halted() != null) {
      return;
    }
    try {
      current.step();
    } catch (SimLedgerStore.Crashed e) {
      crash();
    } catch (RuntimeException e) {
      invariants.failed("ledger", e);
      attempt = null;
      start();
    }
  }

  /** Stops at once: what it computed and did not commit is gone; the store stays. */
  void crash() {
    attempt = null;
    relay = null;
    crashes++;
  }
}
