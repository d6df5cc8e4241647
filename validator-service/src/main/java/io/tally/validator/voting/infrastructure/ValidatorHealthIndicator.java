package io.tally.validator.voting.infrastructure;

import io.tally.validator.voting.application.ValidatorStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code validator} health: DOWN when the loop is not running (with the last error), UP with the
 * last voted height, the lag behind the log and the latest alarms otherwise. When the newest height
 * has fewer than q votes for a while, {@code finalization} says so and who voted (this validator
 * itself is healthy; the network is not finalizing). Equivocation by any validator is reported in
 * the details and stays until the operator restarts the service.
 */
final class ValidatorHealthIndicator implements HealthIndicator {

  private final ValidatorStatus status;

  ValidatorHealthIndicator(ValidatorStatus status) {
    this.status = status;
  }

  @Override
  public Health health() {
    Health.Builder health = status.running() ? Health.up() : Health.down();
    health
        .withDetail("lastHeight", status.lastHeight())
        .withDetail("lag", status.lag())
        .withDetail("equivocationSeen", status.equivocationSeen())
        .withDetail("alarms", status.alarms());
    String stalled = status.finalizationStalled();
    if (stalled != null) {
      health.withDetail("finalization", "stalled: " + stalled);
    }
    String error = status.lastError();
    if (error != null) {
      health.withDetail("lastError", error);
    }
    return health.build();
  }
}
