package io.tally.engine;

import java.util.Arrays;

/**
 * One record of the log partition as every consumer sees it: its offset, its broker append time
 * ({@code LogAppendTime}, milliseconds since the epoch) and its value bytes (an envelope).
 * Immutable: the value is copied in and out.
 */
public final class LogRecord {

  private final long offset;
  private final long logTime;
  private final byte[] value;

  public LogRecord(long offset, long logTime, byte[] value) {
    if (offset < 0 || logTime < 0) {
      throw new IllegalArgumentException("offset and log time must not be negative");
    }
    this.offset = offset;
    this.logTime = logTime;
    this.value = value.clone();
  }

  public long offset() {
    return offset;
  }

  public long logTime() {
    return logTime;
  }

  /** A copy of the value bytes. */
  public byte[] value() {
    return value.clone();
  }

  /** The value without copying, for code of this package that only reads it. */
  byte[] valueUnsafe() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LogRecord that
        && offset == that.offset
        && logTime == that.logTime
        && Arrays.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(offset) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "LogRecord[offset " + offset + ", time " + logTime + ", " + value.length + " bytes]";
  }
}
