package io.tally.follower;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The wait between attempts of a loop that failed: 100 ms, doubling up to a cap, never unbounded
 * (DESIGN section 5). The wait ends early when the loop is asked to stop.
 */
public final class Backoff {

  private static final Duration FIRST = Duration.ofMillis(100);
  private static final long SLICE_MS = 50;

  private final Duration max;
  private Duration next = FIRST;

  public Backoff(Duration max) {
    this.max = max;
  }

  /** The wait before the next attempt; each call doubles the one after, up to the cap. */
  public Duration next() {
    Duration current = next.compareTo(max) <= 0 ? next : max;
    next = current.multipliedBy(2);
    return current;
  }

  /**
   * Waits {@code duration}, in slices, until it passes or {@code stopping} says so.
   *
   * @throws InterruptedException if the thread is interrupted
   */
  public static void pause(Duration duration, BooleanSupplier stopping)
      throws InterruptedException {
    long until = System.nanoTime() + duration.toNanos();
    while (!stopping.getAsBoolean() && System.nanoTime() < until) {
      Thread.sleep(Math.min(SLICE_MS, Math.max(1, duration.toMillis())));
    }
  }
}
