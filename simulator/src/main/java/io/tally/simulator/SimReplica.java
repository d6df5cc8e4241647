package io.tally.simulator;

import io.tally.engine.Outcome;
import io.tally.follower.ChainFollower;
import io.tally.follower.ParallelPreVerifier;
import io.tally.protocol.genesis.Genesis;
import io.tally.service.CertifiedReplica;
import java.util.Optional;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * A gateway's certified replica: the real {@link CertifiedReplica} and its follower, certifying
 * from the finality events the ledger publishes (and the lies another ledger instance may add). It
 * keeps no snapshot here: a restart replays the log.
 */
final class SimReplica {

  private final CertifiedReplica replica;
  private final Invariants invariants;
  private ChainFollower.@Nullable Attempt attempt;
  int crashes;

  SimReplica(Genesis genesis, SimBroker broker, Random random, Invariants invariants) {
    this.invariants = invariants;
    this.replica =
        new CertifiedReplica(
            genesis,
            0,
            () -> broker.logReader(1 + random.nextInt(64)),
            () -> broker.finalityReader(1 + random.nextInt(16)),
            ParallelPreVerifier.sequential());
  }

  boolean up() {
    return attempt != null;
  }

  void start() {
    attempt = replica.follower().start();
  }

  void step() throws InterruptedException {
    ChainFollower.Attempt current = attempt;
    if (current == null || replica.halted() != null) {
      return;
    }
    try {
      current.step();
    } catch (RuntimeException e) {
      invariants.failed("replica", e);
      attempt = null;
      start();
    }
  }

  void crash() {
    attempt = null;
    crashes++;
  }

  @Nullable String halted() {
    return replica.halted();
  }

  long certifiedHeight() {
    return replica.certifiedHeight();
  }

  long hintsRefused() {
    return replica.hintsRefused();
  }

  /** The outcome the replica serves for {@code id} (never waits). */
  Optional<Outcome> outcome(String id) {
    return replica.outcome(id);
  }
}
