package io.tally.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The infrastructure every CI run uses: no Docker, everything on 127.0.0.1. */
class LocalInfrastructureTest {

  static LocalKafka kafka;
  static LocalPostgres postgres;

  @BeforeAll
  static void start() {
    kafka = LocalKafka.start();
    postgres = LocalPostgres.start();
  }

  @AfterAll
  static void stop() {
    kafka.close();
    postgres.close();
  }

  @Nested
  class Kafka extends KafkaContract {
    @Override
    String bootstrapServers() {
      return kafka.bootstrapServers();
    }

    @Test
    void brokerListensOnLoopbackOnly() {
      assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
    }
  }

  @Nested
  class Postgres extends PostgresContract {
    @Override
    LocalPostgres postgres() {
      return postgres;
    }

    @Override
    boolean loopbackOnly() {
      return true;
    }
  }
}
