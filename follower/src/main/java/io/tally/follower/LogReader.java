package io.tally.follower;

import io.tally.engine.LogRecord;
import java.time.Duration;
import java.util.List;

/** Reads one partition of the log in order. */
public interface LogReader extends AutoCloseable {

  /** Continues reading at {@code offset}. */
  void seek(long offset);

  /** The next records, waiting at most {@code timeout} for some; empty when none came. */
  List<LogRecord> poll(Duration timeout);

  /** Records between the reader's position and the end of the partition, or -1 if unknown. */
  long lag();

  @Override
  void close();
}
