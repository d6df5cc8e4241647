package io.tally.follower;

import java.time.Duration;
import java.util.List;

/** Reads the votes topic in order. */
public interface VoteReader extends AutoCloseable {

  /**
   * A record of the votes topic, unverified, with the topic's timestamp of it (milliseconds since
   * the epoch: the broker's append time, or the validator's send time where the topic keeps the
   * producer's).
   */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed over once, never compared or shared
  record VoteRecord(long offset, long timestamp, byte[] value) {}

  /** Continues reading at {@code offset}. */
  void seek(long offset);

  /** The next records, waiting at most {@code timeout} for some. */
  List<VoteRecord> poll(Duration timeout);

  /** The offset of the next record {@link #poll} returns. */
  long position();

  @Override
  void close();
}
