package io.tally.validator.voting.application;

import java.util.Optional;

/** Durable engine snapshots of this validator. */
public interface SnapshotStore {

  /** An engine snapshot after block {@code height}; the log continues at {@code nextOffset}. */
  @SuppressWarnings("ArrayRecordComponent") // a value carried once from the store to the engine
  record Stored(long height, long nextOffset, byte[] state) {}

  Optional<Stored> latest();

  void save(Stored snapshot);
}
