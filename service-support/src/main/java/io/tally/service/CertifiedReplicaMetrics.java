package io.tally.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The metrics of a service that serves a {@link CertifiedReplica} (gateway, identity-service),
 * under {@code tally.replica.*}: how far it has certified and computed, how far behind the log it
 * reads, the finality hints it refused, and whether it halted.
 */
public final class CertifiedReplicaMetrics {

  private CertifiedReplicaMetrics() {}

  public static void register(CertifiedReplica replica, MeterRegistry registry) {
    Gauge.builder("tally.replica.certified.height", replica, CertifiedReplica::certifiedHeight)
        .description("height of the newest block a quorum certified that this replica serves")
        .register(registry);
    Gauge.builder("tally.replica.computed.height", replica, CertifiedReplica::computedHeight)
        .description("height of the newest block this replica computed, certified or not")
        .register(registry);
    Gauge.builder("tally.replica.lag", replica, CertifiedReplica::lag)
        .description("log records between the replica's position and the end of the log")
        .baseUnit("records")
        .register(registry);
    FunctionCounter.builder(
            "tally.replica.finality.hints.refused", replica, CertifiedReplica::hintsRefused)
        .description("finality events that did not certify the computed header")
        .register(registry);
    Gauge.builder("tally.replica.halted", replica, r -> r.halted() == null ? 0 : 1)
        .description("1 once a quorum certified another header than this replica computed")
        .register(registry);
  }
}
