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
import io.tally.testing.network.NodeProcess;
import io.tally.testing.network.NodeProcesses;
import io.tally.validator.ValidatorServiceApplication;
import io.tally.validator.voting.application.ValidatorStatus;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * A whole network on 127.0.0.1: an in-process Kafka broker (KRaft), PostgreSQL (embedded, or {@code
 * TALLY_TEST_POSTGRES_URL}), the test genesis, four validators and a ledger (and, on request, a
 * gateway), either as Spring applications in this JVM or, as the devstack runs them, each as a
 * process of its own ({@link #startProcesses}), whose CPU time {@link #cpu()} reads from {@code
 * /proc}.
 */
final class LocalNetwork implements AutoCloseable {

  private static final Pattern METRIC =
      Pattern.compile("^(tally_[a-z_]+_seconds_(?:count|sum))(?:\\{[^}]*})? (\\S+)$");

  final LocalKafka kafka;
  final LocalPostgres postgres;
  final NetworkPlan plan;
  final String ledgerDatabase;
  final List<ConfigurableApplicationContext> services = new ArrayList<>();
  final List<NodeProcess> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  private LocalNetwork(LocalKafka kafka, LocalPostgres postgres, NetworkPlan plan) {
    this.kafka = kafka;
    this.postgres = postgres;
    this.plan = plan;
    this.ledgerDatabase = plan.ledger("ledger-1").database();
  }

  private static LocalNetwork prepare(int verifierThreads) throws IOException {
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
    return new LocalNetwork(kafka, postgres, plan);
  }

  /**
   * The devstack's topology: validators 1 to 4, ledger-1 and gateway-1 each as a process of its own
   * (logs in the plan's directory), on the broker and PostgreSQL of this JVM; returns once every
   * process answers on its port.
   */
  static LocalNetwork startProcesses(int verifierThreads, int snapshotEveryBlocks)
      throws IOException, java.net.URISyntaxException, InterruptedException {
    LocalNetwork network = prepare(verifierThreads);
    NodeProcesses launcher = new NodeProcesses(network.plan.dir(), CatchUpLoad.classPath());
    String snapshots = Integer.toString(snapshotEveryBlocks);
    for (int i = 1; i <= 4; i++) {
      network.processes.add(
          launcher.start(
              "validator-" + i,
              ValidatorServiceApplication.class,
              network
                  .plan
                  .validator(i)
                  .with("tally.validator.snapshot-every-blocks", snapshots)
                  .with("spring.main.banner-mode", "off")));
    }
    NodeProcess ledger =
        launcher.start(
            "ledger-1",
            LedgerServiceApplication.class,
            network
                .plan
                .ledger("ledger-1")
                .with("tally.ledger.snapshot-every-blocks", snapshots)
                .with("spring.main.banner-mode", "off"));
    network.processes.add(ledger);
    network.processes.add(
        launcher.start(
            "gateway-1",
            io.tally.gateway.GatewayServiceApplication.class,
            network
                .plan
                .gateway("gateway-1", "http://127.0.0.1:" + ledger.port())
                .with("server.tomcat.threads.max", "400")
                .with("spring.main.banner-mode", "off")));
    for (NodeProcess process : network.processes) {
      network.awaitUp(process);
    }
    return network;
  }

  private void awaitUp(NodeProcess process) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.process().isAlive()) {
        throw new IllegalStateException(process.name() + " stopped; see " + process.log());
      }
      try {
        HttpResponse<Void> health =
            http.send(
                HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + process.port() + "/actuator/health"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (health.statusCode() > 0) {
          return; // listening; readiness (caught up) comes with the world's commit
        }
      } catch (java.net.ConnectException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(process.name() + " did not start in 3 minutes");
  }

  /** The gateway's base URI, in either topology (in this JVM, starts it). */
  java.net.URI gateway() {
    for (NodeProcess process : processes) {
      if (process.name().equals("gateway-1")) {
        return java.net.URI.create("http://127.0.0.1:" + process.port());
      }
    }
    return startGateway();
  }

  /**
   * CPU seconds used so far: each service process by name (none when the services run in this JVM),
   * {@code this JVM} (the broker, the load generator, and the services in-process) and {@code
   * machine} (all cores, PostgreSQL and the OS included).
   */
  Map<String, Double> cpu() {
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (NodeProcess process : processes) {
      seconds.put(process.name(), ProcessCpu.seconds(process.process().pid()));
    }
    seconds.put("this JVM", ProcessCpu.seconds(ProcessHandle.current().pid()));
    seconds.put("machine", ProcessCpu.machineBusySeconds());
    return seconds;
  }

  /**
   * One line: each process's cores in use between two {@link #cpu()} readings {@code seconds}
   * apart.
   */
  static String cores(Map<String, Double> from, Map<String, Double> to, double seconds) {
    StringBuilder line = new StringBuilder();
    double named = 0;
    for (Map.Entry<String, Double> process : to.entrySet()) {
      double used = process.getValue() - from.getOrDefault(process.getKey(), 0.0);
      if (!process.getKey().equals("machine")) {
        named += used;
      }
      line.append(String.format(Locale.ROOT, "%s %.2f, ", process.getKey(), used / seconds));
    }
    double machine = to.getOrDefault("machine", 0.0) - from.getOrDefault("machine", 0.0);
    line.append(
        String.format(Locale.ROOT, "the rest (PostgreSQL, OS) %.2f", (machine - named) / seconds));
    return "cores in use: " + line;
  }

  /** One line: each service process's CPU per settlement, for {@code settlements} certified. */
  static String perSettlement(Map<String, Double> from, Map<String, Double> to, long settlements) {
    StringBuilder line = new StringBuilder("CPU per settlement:");
    for (Map.Entry<String, Double> process : to.entrySet()) {
      if (!process.getKey().equals("machine") && settlements > 0) {
        double used = process.getValue() - from.getOrDefault(process.getKey(), 0.0);
        line.append(
            String.format(Locale.ROOT, " %s %.1f µs,", process.getKey(), 1e6 * used / settlements));
      }
    }
    return line.toString();
  }

  static LocalNetwork start(int verifierThreads, int snapshotEveryBlocks) throws IOException {
    LocalNetwork network = prepare(verifierThreads);
    NetworkPlan plan = network.plan;
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
    for (NodeProcess process : processes) {
      Map<String, Double> metrics = scrape(process);
      votes +=
          metrics.getOrDefault("tally_validator_append_to_vote_seconds_count", 0.0).longValue();
      voteMs += 1000 * metrics.getOrDefault("tally_validator_append_to_vote_seconds_sum", 0.0);
      commits +=
          metrics.getOrDefault("tally_ledger_append_to_commit_seconds_count", 0.0).longValue();
      commitMs += 1000 * metrics.getOrDefault("tally_ledger_append_to_commit_seconds_sum", 0.0);
      writeMs += 1000 * metrics.getOrDefault("tally_ledger_commit_write_seconds_sum", 0.0);
    }
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

  /** The {@code tally_..._seconds} counts and sums a service process reports to Prometheus. */
  private Map<String, Double> scrape(NodeProcess process) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    try {
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(
                      java.net.URI.create(
                          "http://127.0.0.1:" + process.port() + "/actuator/prometheus"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      for (String line : page.body().lines().toList()) {
        Matcher metric = METRIC.matcher(line);
        if (metric.matches()) {
          metrics.merge(metric.group(1), Double.parseDouble(metric.group(2)), Double::sum);
        }
      }
    } catch (IOException e) {
      // a process that does not answer reports nothing this time
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return metrics;
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
    NodeProcesses.stop(processes, Duration.ofSeconds(20));
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
