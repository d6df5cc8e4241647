package io.tally.benchmarks.network;

import io.tally.engine.LogRecord;
import io.tally.engine.TestNetwork;
import io.tally.ledger.LedgerServiceApplication;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.Vote;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import io.tally.testing.network.NetworkPlan;
import io.tally.testing.network.NodeProcess;
import io.tally.testing.network.NodeProcesses;
import io.tally.validator.ValidatorServiceApplication;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * A validator, then a ledger, each catching up on its own over a log written beforehand: what one
 * service carries when no other service shares its cores.
 *
 * <p>This program starts a Kafka broker (in this JVM) and PostgreSQL (embedded, or {@code
 * TALLY_TEST_POSTGRES_URL}), writes the test world and {@code --settlements} single-signer
 * settlements (sealed by gateway-1, a cut marker every {@code --block}), measures the raw Ed25519
 * verify rate on one thread and pgbench's TPC-B on a fresh PostgreSQL of the same build (8 clients,
 * synchronous commit, {@code --pgbench-seconds}; skipped without pgbench), then:
 *
 * <ol>
 *   <li>starts validator-1 as a process of its own and follows its votes until it voted for the
 *       last block: settlements per second after the first {@code --warmup}, and its CPU (user plus
 *       system, from {@code /proc}) per settlement;
 *   <li>runs validators 2 and 3 over the same log, unmeasured, so the votes topic holds a quorum;
 *   <li>starts ledger-1 alone and follows its finality events until it committed the last block
 *       (into PostgreSQL, synchronous commits): the same figures.
 * </ol>
 *
 * While a service catches up, the broker only serves reads and nothing else runs on the machine;
 * the broker's share (this process) and PostgreSQL's (the rest of the machine) are printed beside.
 */
public final class CatchUpLoad {

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  private static final Duration STALL_MAX = Duration.ofMinutes(2);
  private static final String CUTTER = "validator-4-instance";

  private final LocalKafka kafka;
  private final double verifyRate;
  // Log offset of each settlement, in order (one ordered producer: offsets grow with the number).
  private final long[] settlementOffsets;
  private long lastOffset;

  private CatchUpLoad(LocalKafka kafka, double verifyRate, int settlements) {
    this.kafka = kafka;
    this.verifyRate = verifyRate;
    this.settlementOffsets = new long[settlements];
  }

  public static void main(String[] args) throws Exception {
    int settlements = CertifiedSettlementsLoad.intArgument(args, "--settlements", 240_000);
    int warmup = CertifiedSettlementsLoad.intArgument(args, "--warmup", 40_000);
    int block = CertifiedSettlementsLoad.intArgument(args, "--block", 1_000);
    int verifierThreads = CertifiedSettlementsLoad.intArgument(args, "--verifier-threads", 1);
    int pgbenchSeconds = CertifiedSettlementsLoad.intArgument(args, "--pgbench-seconds", 20);
    boolean validatorOnly = Arrays.asList(args).contains("--validator-only");
    if (warmup >= settlements || block < 1) {
      throw new IllegalArgumentException("need --warmup < --settlements and --block >= 1");
    }
    CertifiedSettlementsLoad.verifyRatePerCore(Duration.ofSeconds(3));
    double verifyRate = CertifiedSettlementsLoad.verifyRatePerCore(Duration.ofSeconds(5));
    System.out.printf(
        Locale.ROOT,
        "raw Ed25519 verify %.0f/s on one thread (%.1f µs each); %d settlements, %d of them warm-up,"
            + " a cut every %d; %d verifier thread(s) per service%n",
        verifyRate,
        1e6 / verifyRate,
        settlements,
        warmup,
        block,
        verifierThreads);
    double pgbenchTps = validatorOnly ? -1 : RestSettlementsLoad.pgbench(pgbenchSeconds);
    Path dir = Files.createTempDirectory("tally-catch-up-");
    try (LocalKafka kafka = LocalKafka.start();
        LocalPostgres postgres = LocalPostgres.start()) {
      NetworkPlan.createTopics(kafka);
      NetworkPlan plan =
          NetworkPlan.in(dir)
              .genesis(TestNetwork.GENESIS_BYTES, TestNetwork::key)
              .kafka(kafka.bootstrapServers())
              .databases(name -> postgres.createDatabase("catchup_" + name))
              .verifierThreads(verifierThreads)
              .build();
      CatchUpLoad load = new CatchUpLoad(kafka, verifyRate, settlements);
      load.writeLog(block);
      NodeProcesses processes = new NodeProcesses(dir, classPath());
      long warmupOffset = load.settlementOffsets[warmup - 1];

      NodeProcess validator =
          processes.start("validator-1", ValidatorServiceApplication.class, plan.validator(1));
      Measured votes =
          load.follow(validator, "tally.votes", "validator-1", warmupOffset, verifierThreads);
      NodeProcesses.stop(List.of(validator), Duration.ofSeconds(20));
      votes.print("validator-1 catching up");
      if (validatorOnly) {
        return;
      }

      System.out.println("validators 2 and 3 vote over the same log (not measured)");
      List<NodeProcess> others = new ArrayList<>();
      for (int i = 2; i <= 3; i++) {
        others.add(
            processes.start(
                "validator-" + i, ValidatorServiceApplication.class, plan.validator(i)));
      }
      for (NodeProcess other : others) {
        load.follow(other, "tally.votes", other.name(), warmupOffset, verifierThreads);
      }
      NodeProcesses.stop(others, Duration.ofSeconds(20));

      NodeProcess ledger =
          processes.start("ledger-1", LedgerServiceApplication.class, plan.ledger("ledger-1"));
      Measured commits =
          load.follow(ledger, "tally.finalized", null, warmupOffset, verifierThreads);
      long notAccepted = load.notAccepted(plan.ledger("ledger-1").database());
      NodeProcesses.stop(List.of(ledger), Duration.ofSeconds(20));
      commits.print("ledger-1 catching up (commits to PostgreSQL)");
      System.out.printf(
          Locale.ROOT,
          "%nresult: the ledger caught up at %.2f times the validator's rate (target >= 0.5);"
              + " settlements the ledger committed with another outcome than accepted: %d;"
              + " pgbench TPC-B beside it (8 clients, synchronous commit): %s%n",
          commits.rate() / votes.rate(),
          notAccepted,
          pgbenchTps > 0 ? String.format(Locale.ROOT, "%.0f tps", pgbenchTps) : "not run");
    } finally {
      deleteTree(dir);
    }
    System.exit(0);
  }

  // ------------------------------------------------------------------------------ the log

  /**
   * Writes the test world (one block, cut by {@value #CUTTER}), then the settlements: 1 EUR minor
   * unit from bank-a's issuance account to b-eur, signed by bank-a, sealed by gateway-1, a cut
   * marker after every {@code block} of them and after the last.
   */
  private void writeLog(int block) throws Exception {
    long started = System.nanoTime();
    TestNetwork net = new TestNetwork();
    long now = System.currentTimeMillis();
    net.now = now;
    EnvelopeWriter gateway =
        new EnvelopeWriter("gateway-1", TestNetwork.LOG, now, TestNetwork.GATEWAY);
    EnvelopeWriter cutter =
        new EnvelopeWriter(CUTTER, TestNetwork.LOG, now, TestNetwork.key(CUTTER));
    AtomicLongArray offsets = new AtomicLongArray(settlementOffsets.length);
    long settlementBytes = 0;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      long height = 1;
      for (LogRecord record : net.world()) {
        send(producer, record.value(), -1, offsets);
      }
      send(producer, cut(cutter, height++), -1, offsets);
      int chunk = 10_000;
      for (int from = 0; from < settlementOffsets.length; from += chunk) {
        int first = from;
        List<byte[]> instructions =
            Submissions.signed(
                "load-", first, Math.min(chunk, settlementOffsets.length - first), now + 3_000_000);
        for (int i = 0; i < instructions.size(); i++) {
          int number = first + i;
          byte[] record = gateway.next(EnvelopeType.INSTRUCTION, instructions.get(i)).toBytes();
          settlementBytes += record.length;
          send(producer, record, number, offsets);
          if ((number + 1) % block == 0 || number + 1 == settlementOffsets.length) {
            send(producer, cut(cutter, height++), -1, offsets);
          }
        }
        System.out.printf(
            Locale.ROOT,
            "  log: %d settlements written%n",
            Math.min(settlementOffsets.length, first + chunk));
      }
      producer.flush();
    }
    for (int i = 0; i < settlementOffsets.length; i++) {
      settlementOffsets[i] = offsets.get(i);
    }
    System.out.printf(
        Locale.ROOT,
        "log written: %d records up to offset %d in %.0f s; a settlement's record is %d bytes%n",
        lastOffset + 1,
        lastOffset,
        (System.nanoTime() - started) / 1e9,
        settlementBytes / settlementOffsets.length);
  }

  private static byte[] cut(EnvelopeWriter cutter, long height) {
    byte[] body = new JsonWriter().beginObject().member("height", height).endObject().toUtf8();
    return cutter.next(EnvelopeType.CUT, body).toBytes();
  }

  private void send(
      KafkaProducer<byte[], byte[]> producer, byte[] value, int settlement, AtomicLongArray into) {
    var unused =
        producer.send(
            new ProducerRecord<>("tally.log", 0, null, value),
            (metadata, error) -> {
              if (error != null) {
                System.err.println("writing the log failed: " + error);
                System.exit(2);
              }
              if (settlement >= 0) {
                into.set(settlement, metadata.offset());
              }
              synchronized (this) {
                lastOffset = Math.max(lastOffset, metadata.offset());
              }
            });
  }

  private KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.BATCH_SIZE_CONFIG,
            256 * 1024),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** Settlements at or before {@code offset}. */
  private int settlementsUpTo(long offset) {
    int at = Arrays.binarySearch(settlementOffsets, offset);
    return at >= 0 ? at + 1 : -at - 1;
  }

  // ------------------------------------------------------------------------------ following

  /** A reading of the clock and of the CPU counters, with the log offset covered by then. */
  private record Reading(
      long nanos,
      double service,
      Map<String, Double> threads,
      double broker,
      double machine,
      long covered) {

    static Reading now(long pid, long covered) {
      return new Reading(
          System.nanoTime(),
          ProcessCpu.seconds(pid),
          ProcessCpu.threads(pid),
          ProcessCpu.seconds(ProcessHandle.current().pid()),
          ProcessCpu.machineBusySeconds(),
          covered);
    }
  }

  /** What one service did between the end of its warm-up and its last block. */
  private record Measured(
      String service, int threads, long settlements, Reading from, Reading to, double verifyRate) {

    double seconds() {
      return (to.nanos - from.nanos) / 1e9;
    }

    double rate() {
      return settlements / seconds();
    }

    double cpuPerSettlement() {
      return (to.service - from.service) / settlements;
    }

    void print(String name) {
      double seconds = seconds();
      double perThread = rate() / threads;
      System.out.printf(
          Locale.ROOT,
          "%n%s (%s, %d verifier thread(s)): %d settlements in %.1f s = %.0f settlements/s,"
              + " %.0f per verifier thread = %.2f times the raw verify rate per thread (target >="
              + " 0.67)%n  CPU per settlement %.1f µs (user + system) = %.2f times one verification"
              + " (target <= 1.5); the service used %.2f cores, the broker's process %.2f, the rest"
              + " of the machine (PostgreSQL, the OS) %.2f%n",
          name,
          service,
          threads,
          settlements,
          seconds,
          rate(),
          perThread,
          perThread / verifyRate,
          cpuPerSettlement() * 1e6,
          cpuPerSettlement() * verifyRate,
          (to.service - from.service) / seconds,
          (to.broker - from.broker) / seconds,
          ((to.machine - from.machine) - (to.service - from.service) - (to.broker - from.broker))
              / seconds);
      System.out.println(
          "  the service's CPU by thread: "
              + ProcessCpu.topThreads(from.threads, to.threads, to.service - from.service, 8));
    }
  }

  /**
   * Follows {@code topic} (votes of {@code voter}, or finality events when null) until a block
   * covering the last settlement arrived; measures from the first block past {@code warmupOffset}.
   */
  private Measured follow(
      NodeProcess process, String topic, @Nullable String voter, long warmupOffset, int threads)
      throws InterruptedException {
    long lastSettlement = settlementOffsets[settlementOffsets.length - 1];
    long pid = process.process().pid();
    long started = System.nanoTime();
    long covered = -1;
    long coveredAtProgress = -1;
    long progressAt = started + PROGRESS_EVERY.toNanos();
    long progressSince = started;
    long lastAdvance = started;
    Reading from = null;
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (covered < lastSettlement) {
        if (!process.process().isAlive()) {
          throw new IllegalStateException(
              process.name()
                  + " stopped (exit "
                  + process.process().exitValue()
                  + "); see "
                  + process.log());
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(10))) {
          long last = lastOffsetOf(record.value(), voter);
          if (last > covered) {
            covered = last;
            lastAdvance = System.nanoTime();
          }
        }
        long now = System.nanoTime();
        if (from == null && covered >= warmupOffset) {
          from = Reading.now(pid, covered);
        }
        if (now >= progressAt) {
          System.out.printf(
              Locale.ROOT,
              "  %3d s: %s at %d of %d settlements (%.0f/s over the last %d s)%n",
              (now - started) / 1_000_000_000,
              process.name(),
              Math.max(0, settlementsUpTo(covered)),
              settlementOffsets.length,
              (settlementsUpTo(covered) - Math.max(0, settlementsUpTo(coveredAtProgress)))
                  / ((now - progressSince) / 1e9),
              (now - progressSince) / 1_000_000_000);
          coveredAtProgress = covered;
          progressSince = now;
          progressAt += PROGRESS_EVERY.toNanos();
        }
        if (now - lastAdvance > STALL_MAX.toNanos()) {
          throw new IllegalStateException(
              process.name()
                  + " made no progress for "
                  + STALL_MAX.toSeconds()
                  + " s at log offset "
                  + covered
                  + "; see "
                  + process.log());
        }
      }
    }
    Reading to = Reading.now(pid, covered);
    if (from == null) {
      throw new IllegalStateException("no block ended between the warm-up and the end");
    }
    long measured = settlementsUpTo(to.covered) - (long) settlementsUpTo(from.covered);
    return new Measured(process.name(), threads, measured, from, to, verifyRate);
  }

  /** The last log offset a vote of {@code voter} (or any finality event, if null) covers. */
  private static long lastOffsetOf(byte[] value, @Nullable String voter) {
    try {
      if (voter != null) {
        Vote.Opened vote = Vote.open(value, TestNetwork.GENESIS, 0);
        return vote.verified().validatorId().equals(voter)
            ? vote.verified().header().lastOffset()
            : -1;
      }
      byte[] event = Envelope.open(value, TestNetwork.GENESIS, Stream.finalized(0)).body();
      return BlockHeader.fromBytes(
              Base64Url.decode(JsonReader.parseObject(event, 2).string("header")))
          .lastOffset();
    } catch (VerificationException | JsonException e) {
      throw new IllegalStateException("an unreadable record on the followed topic", e);
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** Load settlements the ledger committed with another outcome than accepted (should be 0). */
  private long notAccepted(String database) {
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(database);
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FILTER (WHERE code <> 'ACCEPTED'), count(*) FROM entry"
                    + " WHERE instruction_id LIKE 'load-%'")) {
      rows.next();
      if (rows.getLong(2) != settlementOffsets.length) {
        throw new IllegalStateException(
            "the ledger holds " + rows.getLong(2) + " of " + settlementOffsets.length);
      }
      return rows.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("reading the ledger database failed", e);
    }
  }

  // ------------------------------------------------------------------------------ the machine

  /**
   * The classpath of this program: {@code mvn exec:java} runs it in a class loader of its own, so
   * {@code java.class.path} names Maven's launcher, not the services.
   */
  static String classPath() throws URISyntaxException {
    if (CatchUpLoad.class.getClassLoader() instanceof URLClassLoader loader) {
      List<String> entries = new ArrayList<>();
      for (URL url : loader.getURLs()) {
        entries.add(Path.of(url.toURI()).toString());
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }

  static void deleteTree(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
