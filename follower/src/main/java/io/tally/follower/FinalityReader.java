package io.tally.follower;

import java.time.Duration;
import java.util.List;

/** Reads finality events ({@code tally.finalized}) from the beginning, unverified. */
public interface FinalityReader extends AutoCloseable {

  /** The next event bodies' envelopes (record values), waiting at most {@code timeout}. */
  List<byte[]> poll(Duration timeout);

  @Override
  void close();
}
