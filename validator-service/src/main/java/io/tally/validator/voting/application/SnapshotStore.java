package io.tally.validator.voting.application;

import java.util.Optional;

/** Durable engine snapshots of this validator. */
public interface SnapshotStore {

  /** An engine snapshot after block {@code height}; the log continues at {@code nextOffset}. */
  @SuppressWarnings("ArrayRecordComponent") // a value carried once from the store to the engine
  record Stored(long height, long nextOffset, byte[] state) {}

  Optional<Stored> latest();

  /**
   * Stores a snapshot, possibly after returning: the validator loop must not wait for the database.
   * A newer snapshot may replace one not written yet; a write that fails is logged and the next
   * snapshot tries again (a restart then replays from an older one).
   */
  void save(Stored snapshot);
}
