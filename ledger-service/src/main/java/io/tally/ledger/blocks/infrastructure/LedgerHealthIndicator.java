package io.tally.ledger.blocks.infrastructure;

import io.tally.ledger.blocks.application.LedgerStatus;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code ledger} health: DOWN when the ledger halted (a quorum certified a header it did not
 * compute: the reason names both headers; the evidence is in the {@code evidence} table) or when
 * its loop is not running (with the last error). Otherwise UP with the committed and computed
 * heights, the lag behind the log, why the next block waits, and recent alarms.
 */
final class LedgerHealthIndicator implements HealthIndicator {

  private final LedgerStatus status;

  LedgerHealthIndicator(LedgerStatus status) {
    this.status = status;
  }

  @Override
  public Health health() {
    String halted = status.halted();
    Health.Builder health = halted == null && status.running() ? Health.up() : Health.down();
    health
        .withDetail("committedHeight", status.committedHeight())
        .withDetail("computedHeight", status.computedHeight())
        .withDetail("lag", status.lag())
        .withDetail("alarms", status.alarms());
    if (halted != null) {
      health.withDetail("halted", halted);
    }
    String waiting = status.waiting();
    if (waiting != null) {
      health.withDetail("waiting", waiting);
    }
    String error = status.lastError();
    if (error != null) {
      health.withDetail("lastError", error);
    }
    return health.build();
  }
}
