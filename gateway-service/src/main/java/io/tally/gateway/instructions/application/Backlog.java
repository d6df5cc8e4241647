package io.tally.gateway.instructions.application;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Admission by log backlog: the records this gateway wrote that no certified block covers yet.
 * Beyond {@code max}, submissions are refused with a Retry-After computed from how fast certified
 * blocks have been draining the log lately, so clients back off in proportion instead of piling on.
 */
public final class Backlog {

  /** Refused for overload: retry after {@code retryAfterSeconds}. */
  public static final class Overloaded extends Exception {
    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    Overloaded(long backlog, long max, long retryAfterSeconds) {
      super(
          backlog
              + " records wait for certification (at most "
              + max
              + "); retry in "
              + retryAfterSeconds
              + " s");
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  static final long RETRY_AFTER_MAX_SECONDS = 60;
  private static final long SAMPLE_NANOS = 1_000_000_000L;

  private final long max;
  private final LongSupplier certifiedOffset;
  private final LongSupplier nanoTime;
  private final AtomicLong appended = new AtomicLong(-1);
  private long sampleNanos;
  private long sampleOffset;
  private boolean sampled;
  private double drainPerSecond;

  /**
   * @param max the backlog beyond which submissions are refused
   * @param certifiedOffset the last log offset a certified block covers
   * @param nanoTime a monotonic clock ({@code System::nanoTime})
   */
  public Backlog(long max, LongSupplier certifiedOffset, LongSupplier nanoTime) {
    this.max = max;
    this.certifiedOffset = certifiedOffset;
    this.nanoTime = nanoTime;
  }

  /** Records that the log acknowledged a record of this gateway at {@code offset}. */
  public void appended(long offset) {
    appended.accumulateAndGet(offset, Math::max);
  }

  /** Records not yet covered by a certified block. */
  public long size() {
    return Math.max(0, appended.get() - certifiedOffset.getAsLong());
  }

  /**
   * Admits a submission of {@code count} records, or refuses it.
   *
   * @throws Overloaded when the backlog would exceed the limit
   */
  public void admit(int count) throws Overloaded {
    long certified = certifiedOffset.getAsLong();
    double rate = sample(certified);
    long backlog = Math.max(0, appended.get() - certified);
    if (backlog + count > max) {
      // Until the backlog has drained to half the limit at the recent rate.
      double seconds = (backlog - max / 2.0) / Math.max(rate, 1.0);
      long retryAfter = Math.max(1, Math.min(RETRY_AFTER_MAX_SECONDS, (long) Math.ceil(seconds)));
      throw new Overloaded(backlog, max, retryAfter);
    }
  }

  /** The recent drain rate in records per second (smoothed over samples of at least 1 s). */
  private synchronized double sample(long certified) {
    long now = nanoTime.getAsLong();
    if (!sampled) {
      sampled = true;
      sampleOffset = certified;
      sampleNanos = now;
    } else if (now - sampleNanos >= SAMPLE_NANOS) {
      double rate = (certified - sampleOffset) * 1e9 / (now - sampleNanos);
      drainPerSecond = drainPerSecond == 0 ? rate : 0.5 * drainPerSecond + 0.5 * rate;
      sampleOffset = certified;
      sampleNanos = now;
    }
    return drainPerSecond;
  }
}
