package io.tally.validator.voting.application;

import java.util.Optional;
import java.util.function.Supplier;

/** Durable engine snapshots of this validator. */
public interface SnapshotStore {

  /** An engine snapshot after block {@code height}; the log continues at {@code nextOffset}. */
  @SuppressWarnings("ArrayRecordComponent") // a value carried once from the store to the engine
  record Stored(long height, long nextOffset, byte[] state) {}

  Optional<Stored> latest();

  /**
   * Stores the snapshot after block {@code height}, possibly after returning: the validator loop
   * must not wait for the database, nor for the bytes ({@code Engine.snapshotLater()}: finished
   * when {@code state} is called). A newer snapshot may replace one not written yet; a write that
   * fails is logged and the next snapshot tries again (a restart then replays from an older one).
   */
  void save(long height, long nextOffset, Supplier<byte[]> state);
}
