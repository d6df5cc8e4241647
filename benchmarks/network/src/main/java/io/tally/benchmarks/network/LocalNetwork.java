package io.tally.benchmarks.network;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.engine.TestNetwork;
import io.tally.ledger.LedgerServiceApplication;
import io.tally.ledger.blocks.application.LedgerStatus;
import io.tally.protocol.VerificationException;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import io.tally.testing.network.InProcess;
import io.tally.testing.network.NetworkPlan;
import io.tally.testing.network.Node;
import io.tally.validator.ValidatorServiceApplication;
import io.tally.validator.voting.application.ValidatorStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole network in this JVM on 127.0.0.1: an in-process Kafka broker (KRaft), PostgreSQL
 * (embedded, or {@code TALLY_TEST_POSTGRES_URL}), the test genesis, four validators and a ledger.
 */
final class LocalNetwork implements AutoCloseable {

  final LocalKafka kafka;
  final LocalPostgres postgres;
  final NetworkPlan plan;
  final String ledgerDatabase;
  final List<ConfigurableApplicationContext> services = new ArrayList<>();

  private LocalNetwork(LocalKafka kafka, LocalPostgres postgres, NetworkPlan plan) {
    this.kafka = kafka;
    this.postgres = postgres;
    this.plan = plan;
    this.ledgerDatabase = plan.ledger("ledger-1").database();
  }

  static LocalNetwork start(int verifierThreads, int snapshotEveryBlocks) throws IOException {
    LocalKafka kafka = LocalKafka.start();
    LocalPostgres postgres = LocalPostgres.start();
    NetworkPlan.createTopics(kafka);
    NetworkPlan plan =
        NetworkPlan.in(Files.createTempDirectory("tally-bench-"))
            .genesis(TestNetwork.GENESIS_BYTES, TestNetwork::key)
            .kafka(kafka.bootstrapServers())
            .databases(name -> postgres.createDatabase("bench_" + name))
            .verifierThreads(verifierThreads)
            .build();
    LocalNetwork network = new LocalNetwork(kafka, postgres, plan);
    String snapshots = Integer.toString(snapshotEveryBlocks);
    for (int i = 1; i <= 4; i++) {
      network.run(
          ValidatorServiceApplication.builder(),
          plan.validator(i).with("tally.validator.snapshot-every-blocks", snapshots));
    }
    network.run(
        LedgerServiceApplication.builder(),
        plan.ledger("ledger-1").with("tally.ledger.snapshot-every-blocks", snapshots));
    return network;
  }

  /** Starts a gateway (instance gateway-1) in front of the network; returns its base URI. */
  java.net.URI startGateway() {
    ConfigurableApplicationContext gateway =
        run(
            io.tally.gateway.GatewayServiceApplication.builder(),
            plan.gateway("gateway-1", "http://127.0.0.1:1")
                .with("server.tomcat.threads.max", "400"));
    return java.net.URI.create("http://127.0.0.1:" + InProcess.port(gateway));
  }

  private ConfigurableApplicationContext run(SpringApplicationBuilder application, Node node) {
    ConfigurableApplicationContext service =
        InProcess.start(application, node.with("spring.main.banner-mode", "off"));
    services.add(service);
    return service;
  }

  /** Load settlements the ledger committed with another outcome than accepted (should be 0). */
  long rejectedSettlements() {
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(ledgerDatabase);
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM entry WHERE instruction_id LIKE 'load-%'"
                    + " AND code <> 'ACCEPTED'")) {
      rows.next();
      return rows.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("reading the ledger database failed", e);
    }
  }

  /** The end offset of the log. */
  long logEnd() {
    try (Admin admin = kafka.admin()) {
      return admin
          .listOffsets(Map.of(new TopicPartition("tally.log", 0), OffsetSpec.latest()))
          .all()
          .get(10, TimeUnit.SECONDS)
          .values()
          .iterator()
          .next()
          .offset();
    } catch (ExecutionException | TimeoutException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The log's records from {@code from} that are not instructions, one line each. */
  String describeLogFrom(long from) {
    StringBuilder lines = new StringBuilder();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition("tally.log", 0);
      consumer.assign(List.of(partition));
      consumer.seek(partition, Math.max(0, from));
      long end = logEnd();
      int instructions = 0;
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          try {
            Envelope envelope = Envelope.open(record.value(), TestNetwork.GENESIS, TestNetwork.LOG);
            if (envelope.type() == EnvelopeType.INSTRUCTION) {
              instructions++;
              continue;
            }
            lines.append(
                String.format(
                    Locale.ROOT,
                    "%n  %d %s %s epoch %d seq %d %s (after %d instructions)",
                    record.offset(),
                    envelope.producer(),
                    envelope.type(),
                    envelope.epoch(),
                    envelope.seq(),
                    new String(envelope.body(), StandardCharsets.UTF_8),
                    instructions));
            instructions = 0;
          } catch (VerificationException e) {
            lines.append("\n  " + record.offset() + " unreadable: " + e.getMessage());
          }
        }
      }
      lines.append("\n  then " + instructions + " instructions up to " + end);
    }
    return lines.toString();
  }

  /**
   * Totals so far of the services' timers from a block's last record (usually its cut marker) to
   * each validator's vote and to the ledger's commit.
   */
  record StageTimes(long votes, double voteMs, long commits, double commitMs, double writeMs) {

    /** One line with the mean of each stage between {@code earlier} and these totals. */
    String since(StageTimes earlier) {
      long v = votes - earlier.votes;
      long c = commits - earlier.commits;
      return String.format(
          Locale.ROOT,
          "block's last record appended -> a validator's vote: mean %.0f ms (%d votes);"
              + " -> ledger commit: mean %.0f ms (%d blocks; its transaction: mean %.0f ms)",
          v == 0 ? 0 : (voteMs - earlier.voteMs) / v,
          v,
          c == 0 ? 0 : (commitMs - earlier.commitMs) / c,
          c,
          c == 0 ? 0 : (writeMs - earlier.writeMs) / c);
    }
  }

  StageTimes stageTimes() {
    long votes = 0;
    double voteMs = 0;
    long commits = 0;
    double commitMs = 0;
    double writeMs = 0;
    for (ConfigurableApplicationContext service : services) {
      MeterRegistry registry = service.getBean(MeterRegistry.class);
      Timer vote = registry.find("tally.validator.append.to.vote").timer();
      if (vote != null) {
        votes += vote.count();
        voteMs += vote.totalTime(TimeUnit.MILLISECONDS);
      }
      Timer commit = registry.find("tally.ledger.append.to.commit").timer();
      if (commit != null) {
        commits += commit.count();
        commitMs += commit.totalTime(TimeUnit.MILLISECONDS);
      }
      Timer write = registry.find("tally.ledger.commit.write").timer();
      if (write != null) {
        writeMs += write.totalTime(TimeUnit.MILLISECONDS);
      }
    }
    return new StageTimes(votes, voteMs, commits, commitMs, writeMs);
  }

  /** One line on what the ledger and each validator are doing. */
  String describe() {
    StringBuilder line = new StringBuilder();
    for (ConfigurableApplicationContext service : services) {
      if (service.containsBean("ledgerStatus")) {
        LedgerStatus ledger = service.getBean(LedgerStatus.class);
        line.append(
            String.format(
                Locale.ROOT,
                "ledger committed %d computed %d lag %d waiting %s error %s; ",
                ledger.committedHeight(),
                ledger.computedHeight(),
                ledger.lag(),
                ledger.waiting(),
                ledger.lastError()));
      } else if (service.containsBean("validatorStatus")) {
        ValidatorStatus validator = service.getBean(ValidatorStatus.class);
        line.append(
            String.format(Locale.ROOT, "v %d lag %d; ", validator.lastHeight(), validator.lag()));
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    services.forEach(ConfigurableApplicationContext::close);
    kafka.close();
    postgres.close();
    try (Stream<Path> files = Files.walk(plan.dir())) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
