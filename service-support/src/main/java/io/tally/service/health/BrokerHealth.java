package io.tally.service.health;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code broker} health, in the readiness group: UP when the Kafka cluster answered a metadata
 * request within {@link #TIMEOUT}, with the same client settings (TLS, SASL) as the service's own
 * producers and consumers. An answer is reused for {@link #REUSE}, so that probes and scrapes do
 * not each cost a round trip.
 */
public final class BrokerHealth implements HealthIndicator, AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(2);
  static final Duration REUSE = Duration.ofSeconds(2);

  private final Admin admin;
  private final Clock clock;
  private @Nullable Health last;
  private long lastAt;

  /** {@code adminConfig}: Boot's admin client settings ({@code spring.kafka.*}). */
  public BrokerHealth(Map<String, Object> adminConfig, Clock clock) {
    Map<String, Object> config = new java.util.HashMap<>(adminConfig);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "tally-broker-health");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    this.admin = Admin.create(config);
    this.clock = clock;
  }

  @Override
  public synchronized Health health() {
    long now = clock.millis();
    Health reused = last;
    if (reused != null && now - lastAt < REUSE.toMillis()) {
      return reused;
    }
    Health health;
    try {
      int nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
              .nodes()
              .get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS)
              .size();
      health = Health.up().withDetail("brokers", nodes).build();
    } catch (ExecutionException | TimeoutException e) {
      health =
          Health.down()
              .withDetail("error", "no answer from the Kafka cluster within " + TIMEOUT)
              .build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      health = Health.down().withDetail("error", "interrupted").build();
    }
    last = health;
    lastAt = now;
    return health;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}
