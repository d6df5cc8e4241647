package io.tally.service;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code replica} health of a service that serves a {@link CertifiedReplica} (gateway,
 * identity-service): DOWN with the evidence once the replica halted (a quorum of validators
 * certified another header than it computed: it will never serve again without an operator),
 * otherwise UP with its certified and computed heights and the finality events it refused. Both
 * probe groups include it, so an orchestrator takes a halted replica out of service and restarts
 * it.
 */
public final class CertifiedReplicaHealth implements HealthIndicator {

  private final CertifiedReplica replica;

  public CertifiedReplicaHealth(CertifiedReplica replica) {
    this.replica = replica;
  }

  @Override
  public Health health() {
    String halted = replica.halted();
    Health.Builder health = halted == null ? Health.up() : Health.down();
    health
        .withDetail("certifiedHeight", replica.certifiedHeight())
        .withDetail("computedHeight", replica.computedHeight())
        .withDetail("finalityHintsRefused", replica.hintsRefused());
    if (halted != null) {
      health.withDetail("halted", halted);
    }
    return health.build();
  }
}
