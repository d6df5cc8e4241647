package io.tally.simulator;

import io.tally.follower.ChainFollower;
import io.tally.follower.ParallelPreVerifier;
import io.tally.follower.VoteCertifier;
import io.tally.ledger.blocks.application.LedgerPolicy;
import io.tally.ledger.blocks.application.LedgerStatus;
import io.tally.protocol.genesis.Genesis;
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
    crashes++;
  }
}
