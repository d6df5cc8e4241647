package io.tally.testing;

import org.junit.jupiter.api.Nested;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The same contracts against Testcontainers' Kafka and PostgreSQL, for users with a Docker engine.
 * Without one (as on CI here) the whole class is skipped, and nothing depends on it.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerInfrastructureTest {

  @Container static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.2");

  @Container static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:16");

  @Nested
  class Kafka extends KafkaContract {
    @Override
    String bootstrapServers() {
      return KAFKA.getBootstrapServers();
    }
  }

  @Nested
  class Postgres extends PostgresContract {
    @Override
    LocalPostgres postgres() {
      return LocalPostgres.attach(
          POSTGRES.getJdbcUrl()
              + "?user="
              + POSTGRES.getUsername()
              + "&password="
              + POSTGRES.getPassword());
    }

    @Override
    boolean loopbackOnly() {
      return false;
    }
  }
}
