package io.tally.service;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * The Kafka clients every service creates: Boot's standard {@code spring.kafka.*} settings
 * (bootstrap servers, security protocol, SASL, TLS trust and key stores, {@code
 * spring.kafka.properties.*}) with the settings that decide correctness spelled out once on top, so
 * that no configuration can weaken them.
 */
public final class KafkaSettings {

  private KafkaSettings() {}

  /**
   * A producer whose record counts as written only once every in-sync replica has it ({@code
   * acks=all}) and whose retries never duplicate or reorder ({@code enable.idempotence}); sends go
   * out at once ({@code linger.ms=0}: records are few and latency counts), and a send gives up
   * after {@code sendTimeout}.
   */
  public static Map<String, Object> producer(
      KafkaProperties kafka, String clientId, Duration sendTimeout) {
    Map<String, Object> config = kafka.buildProducerProperties();
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // The delivery timeout must cover linger plus the request timeout.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) sendTimeout.toMillis());
    config.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, sendTimeout.toMillis()));
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    return config;
  }

  /**
   * A consumer that never commits to the broker: progress is the offset a service stores with its
   * own state (snapshot or committed block), and partitions are assigned, not grouped.
   */
  public static Map<String, Object> consumer(KafkaProperties kafka) {
    Map<String, Object> config = kafka.buildConsumerProperties();
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    return config;
  }
}
