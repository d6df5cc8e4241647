package io.tally.ledger.blocks.application;

import java.time.Duration;
import java.util.List;

/** Reads the votes topic in order. */
public interface VoteReader extends AutoCloseable {

  /** A record of the votes topic, unverified. */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed over once, never compared or shared
  record VoteRecord(long offset, byte[] value) {}

  /** Continues reading at {@code offset}. */
  void seek(long offset);

  /** The next records, waiting at most {@code timeout} for some. */
  List<VoteRecord> poll(Duration timeout);

  /** The offset of the next record {@link #poll} returns. */
  long position();

  @Override
  void close();
}
