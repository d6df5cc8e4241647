package io.tally.follower;

import java.time.Duration;
import java.util.Optional;

/**
 * Compares the broker's log time with this validator's clock (DESIGN section 5): log time going
 * backwards, or drifting from local time by more than a bound while the validator is caught up,
 * raises an alarm. The engine itself never lets time run back; this makes a misbehaving broker
 * clock visible.
 */
public final class LogClockMonitor {

  private final long driftMaxMs;
  private long lastLogTime = -1;

  public LogClockMonitor(Duration driftMax) {
    this.driftMaxMs = driftMax.toMillis();
  }

  /**
   * Checks one record's log time.
   *
   * @param caughtUp whether the record is recent (old records replayed after a restart are
   *     naturally far behind the clock)
   * @return the alarm, if any
   */
  public Optional<String> check(long logTime, long localTime, boolean caughtUp) {
    Optional<String> alarm = Optional.empty();
    if (lastLogTime >= 0 && logTime < lastLogTime) {
      alarm = Optional.of("log time went back by " + (lastLogTime - logTime) + " ms");
    } else if (caughtUp && Math.abs(localTime - logTime) > driftMaxMs) {
      alarm =
          Optional.of(
              "log time differs from the local clock by "
                  + (localTime - logTime)
                  + " ms (bound "
                  + driftMaxMs
                  + " ms)");
    }
    lastLogTime = Math.max(lastLogTime, logTime);
    return alarm;
  }
}
