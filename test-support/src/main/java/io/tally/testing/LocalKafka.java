package io.tally.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Apache Kafka broker in KRaft mode (broker and controller in one node), running
 * in this JVM, listening on 127.0.0.1 only, with its log in a temporary directory that {@link
 * #close()} deletes. Starting takes a few seconds cold, under one warm.
 *
 * <pre>
 * try (LocalKafka kafka = LocalKafka.start()) {
 *   kafka.createTopic("tally.log", 1, Map.of("message.timestamp.type", "LogAppendTime"));
 *   ... kafka.bootstrapServers() ...
 * }
 * </pre>
 */
public final class LocalKafka implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final Path directory;
  private final String bootstrapServers;

  private LocalKafka(KafkaRaftServer server, Path directory, String bootstrapServers) {
    this.server = server;
    this.directory = directory;
    this.bootstrapServers = bootstrapServers;
  }

  /** Formats a fresh log directory and starts the broker; returns once it answers. */
  public static LocalKafka start() {
    return start("127.0.0.1", FreePorts.next());
  }

  /**
   * A broker listening on {@code host:port} (a loopback address: the manifests test gives each
   * workload one of its own), advertised as such.
   */
  public static LocalKafka start(String host, int brokerPort) {
    Path directory;
    try {
      directory = Files.createTempDirectory("tally-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a Kafka log directory", e);
    }
    int controllerPort = FreePorts.next();
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + brokerPort + ",CONTROLLER://" + host + ":" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + brokerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", directory.resolve("data").toString());
    // One node: every internal topic has one replica.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.partitions", "1");
    props.put("auto.create.topics.enable", "false");
    Path config = directory.resolve("server.properties");
    try (var out = Files.newOutputStream(config)) {
      props.store(out, "tally LocalKafka");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config, e);
    }
    ByteArrayOutputStream formatOutput = new ByteArrayOutputStream();
    int formatted =
        StorageTool.execute(
            new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
            new PrintStream(formatOutput, true, StandardCharsets.UTF_8));
    if (formatted != 0) {
      throw new IllegalStateException(
          "formatting the Kafka log failed: " + formatOutput.toString(StandardCharsets.UTF_8));
    }
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    server.startup();
    LocalKafka kafka = new LocalKafka(server, directory, host + ":" + brokerPort);
    kafka.awaitReady();
    return kafka;
  }

  /** {@code host:port} of the broker's listener. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            30_000));
  }

  /** A producer of raw bytes ({@code acks=all}, idempotent), to play any writer; caller closes. */
  public KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** Every record of partition 0 of {@code topic}, from the beginning to its current end. */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      Long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (end != null && consumer.position(partition) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** Creates a topic with one replica and the given topic configuration. */
  public void createTopic(String name, int partitions, Map<String, String> config) {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("creating topic " + name + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    try (Admin admin = admin()) {
      while (true) {
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            close();
            throw new IllegalStateException("Kafka did not answer within " + STARTUP_TIMEOUT, e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }

  /** Stops the broker and deletes its log directory. */
  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    deleteRecursively(directory);
  }

  static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A leftover temporary directory is not worth failing a test run over.
    }
  }
}
