package io.tally.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.io.FileSystemResource;

class KafkaSettingsTest {

  private static KafkaProperties secured() {
    KafkaProperties kafka = new KafkaProperties();
    kafka.setBootstrapServers(List.of("kafka-0:9093", "kafka-1:9093"));
    kafka.getSecurity().setProtocol("SSL");
    kafka.getSsl().setTrustStoreLocation(new FileSystemResource("/etc/tally/kafka-ca/ca.p12"));
    kafka.getSsl().setTrustStorePassword("ca-secret");
    kafka.getSsl().setTrustStoreType("PKCS12");
    kafka.getSsl().setKeyStoreLocation(new FileSystemResource("/etc/tally/kafka-user/user.p12"));
    kafka.getSsl().setKeyStorePassword("user-secret");
    kafka.getProperties().put("sasl.mechanism", "SCRAM-SHA-512");
    return kafka;
  }

  @Test
  void producersAndConsumersTakeBootsConnectionAndSecuritySettings() {
    for (Map<String, Object> config :
        List.of(
            KafkaSettings.producer(secured(), "gateway-a", Duration.ofSeconds(10)),
            KafkaSettings.consumer(secured()))) {
      assertThat(String.valueOf(config.get("bootstrap.servers"))).contains("kafka-0:9093");
      assertThat(config)
          .containsEntry("security.protocol", "SSL")
          .containsEntry("ssl.truststore.location", "/etc/tally/kafka-ca/ca.p12")
          .containsEntry("ssl.truststore.password", "ca-secret")
          .containsEntry("ssl.truststore.type", "PKCS12")
          .containsEntry("ssl.keystore.location", "/etc/tally/kafka-user/user.p12")
          .containsEntry("ssl.keystore.password", "user-secret")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }
  }

  @Test
  void configurationCannotWeakenWhatCorrectnessNeeds() {
    KafkaProperties kafka = secured();
    kafka.getProducer().setAcks("0");
    kafka.getProducer().setTransactionIdPrefix("tx-");
    kafka.getConsumer().setEnableAutoCommit(true);
    kafka.getConsumer().setGroupId("shared");
    kafka.getConsumer().setAutoOffsetReset("latest");

    Map<String, Object> producer = KafkaSettings.producer(kafka, "ledger-a", Duration.ofSeconds(5));
    assertThat(producer)
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true)
        .containsEntry("client.id", "ledger-a")
        .doesNotContainKey("transactional.id");
    Map<String, Object> consumer = KafkaSettings.consumer(kafka);
    assertThat(consumer)
        .containsEntry("enable.auto.commit", false)
        .containsEntry("auto.offset.reset", "earliest")
        .doesNotContainKey("group.id");
  }
}
