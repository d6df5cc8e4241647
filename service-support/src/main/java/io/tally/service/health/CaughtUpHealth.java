package io.tally.service.health;

import java.util.function.LongSupplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code catchUp} health, in the readiness group: UP once the service's reader is at most {@code
 * lagMax} records behind the end of the log, DOWN while it replays (a fresh replica, a restarted
 * validator) or before it has heard from the broker at all (lag unknown). An orchestrator sends no
 * traffic to a replica that still answers from an old state, and a disruption budget does not count
 * a validator that cannot vote on the newest block.
 */
public final class CaughtUpHealth implements HealthIndicator {

  private final LongSupplier lag;
  private final long lagMax;

  /**
   * @param lag records between the reader's position and the end of the log, -1 while unknown
   * @param lagMax the most records behind at which the service counts as caught up
   */
  public CaughtUpHealth(LongSupplier lag, long lagMax) {
    if (lagMax < 0) {
      throw new IllegalArgumentException("tally.health.lag-max must be 0 or more: " + lagMax);
    }
    this.lag = lag;
    this.lagMax = lagMax;
  }

  @Override
  public Health health() {
    long behind = lag.getAsLong();
    Health.Builder health = behind >= 0 && behind <= lagMax ? Health.up() : Health.down();
    return health
        .withDetail("lag", behind)
        .withDetail("lagMax", lagMax)
        .withDetail(
            "state",
            behind < 0
                ? "not yet read from the broker"
                : behind <= lagMax ? "caught up" : "replaying the log")
        .build();
  }
}
