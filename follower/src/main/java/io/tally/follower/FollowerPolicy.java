package io.tally.follower;

import io.tally.engine.BlockResult;
import io.tally.engine.Engine;
import io.tally.engine.PreVerified;
import io.tally.protocol.block.QuorumCertificate;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a service does with the chain the {@link ChainFollower} reads for it: a validator votes, the
 * ledger commits, a replica serves. Every method is called on the follower's thread, in log order;
 * one that throws ends the follower's attempt, which then starts again from {@link #start} after a
 * capped backoff.
 */
public interface FollowerPolicy {

  /**
   * Where an attempt starts, read from the service's stored progress.
   *
   * @param snapshot the engine's state to restore, or null to start from the genesis
   * @param nextOffset the log offset after the snapshot's last record (0 without one)
   * @param certifiedHeight blocks up to this height were certified and handed on before: the
   *     follower replays them to {@link #replayed} and certifies only those above
   */
  @SuppressWarnings("ArrayRecordComponent") // the stored bytes, handed over once
  record Start(byte @Nullable [] snapshot, long nextOffset, long certifiedHeight) {

    /** From the genesis, nothing certified. */
    public static Start genesis() {
      return new Start(null, 0, 0);
    }
  }

  /** Reads where to start; called at the beginning of every attempt. */
  Start start();

  /**
   * Where to start instead when the snapshot of {@code start} does not restore: by default from the
   * genesis with the same certified height (the progress is stored apart from the snapshot).
   */
  default Start unreadableSnapshot(Start start) {
    return new Start(null, 0, start.certifiedHeight());
  }

  /** This attempt's certifier, or null when this reader certifies nothing (a validator). */
  @Nullable Certifier certifier(Start start);

  /** The attempt starts with {@code engine}, restored as {@code start} says. */
  default void started(Engine engine, Start start) {}

  /** Whether the follower takes a snapshot of the engine right after block {@code height}. */
  default boolean snapshotAt(long height) {
    return false;
  }

  /** Called with each record just before it is offered to the engine. */
  default void offering(Engine engine, PreVerified record) {}

  /** Offers {@code record} to the engine; a replica does it under the lock its reads take. */
  default Optional<BlockResult> offer(Engine engine, PreVerified record) {
    return engine.offer(record);
  }

  /** A block at or below the start's certified height, computed again while catching up. */
  default void replayed(ComputedBlock block) {}

  /** A new block (above the certified height), as soon as it is computed. */
  default void computed(Engine engine, ComputedBlock block) {}

  /**
   * A computed block is certified by {@code certificate}; blocks come in height order, and the
   * certifier has already been told ({@link Certifier#certified}).
   */
  default void certified(ComputedBlock block, QuorumCertificate certificate) {}

  /** The oldest computed block is not certified yet. */
  default void waiting(ComputedBlock block, String description) {}

  /**
   * A quorum certified another header at {@code block}'s height: the follower stops for good.
   *
   * @return why, for the service's health
   */
  default String halted(ComputedBlock block, Certifier.Conflict conflict) {
    return "a quorum of validators certified another header at height "
        + block.height()
        + " than the one computed here";
  }

  /** After each step of reading and certifying: timers (a validator's block timeout). */
  default void stepped(Engine engine) {}

  /** Records between the follower's read position and the end of the log; -1 if unknown. */
  default void lag(long lag) {}

  /** Something an operator must look at (the broker's clock), at most one a minute; log it here. */
  default void alarm(String alarm) {}

  /** The attempt failed with {@code e}; the follower backs off and starts again. */
  default void failed(RuntimeException e) {}

  /** The attempt ends, whether it failed or was stopped (a ledger drains its committer here). */
  default void ended() {}

  /** The follower returned: stopped or halted. */
  default void stopped() {}
}
