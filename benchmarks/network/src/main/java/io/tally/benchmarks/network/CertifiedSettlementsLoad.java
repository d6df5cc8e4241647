package io.tally.benchmarks.network;

import io.tally.engine.LogRecord;
import io.tally.engine.TestNetwork;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
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
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Certified settlements per second with four validators and a ledger on this machine, and the time
 * from log append (the broker's LogAppendTime) to the ledger's commit (its finality event on {@code
 * tally.finalized}), printed beside the raw Ed25519 verify rate measured in the same run.
 *
 * <p>Two phases of {@code --seconds} each after a warm-up: saturation (closed loop, at most {@code
 * --inflight} settlements between append and commit) and half of the throughput saturation reached
 * (open loop, paced). Settlements are signed before each phase, so the client's signing does not
 * compete with the network for the cores. Every number is printed with the command's settings; the
 * process stops itself when the phases end. {@code --paced-only N} runs only an open-loop phase at
 * N settlements per second (for latency experiments).
 *
 * <p>{@code --processes} runs every service as a process of its own, as the devstack does
 * (validators 1 to 4, ledger-1 and gateway-1), and prints each process's cores in use per phase.
 * {@code --rest batch} submits the same settlements through the gateway's batch endpoint in batches
 * of {@code --batch} (default 50) on kept-alive connections, {@code --rest single} one per request;
 * the time to commit is then counted from the gateway's answer (the log had acknowledged every
 * instruction of it) instead of from the broker's append time.
 */
public final class CertifiedSettlementsLoad {

  private static final Duration WARMUP = Duration.ofSeconds(20);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  private static final int IDS_MAX = 2_000_000;
  // offsetOf's value for a settlement the gateway refused or could not write: never committed.
  private static final long FAILED = -1;

  private final LocalNetwork network;
  private final TestNetwork net = new TestNetwork();
  private final KafkaProducer<byte[], byte[]> producer;
  // Per settlement number, from the broker's acknowledgement: its log offset plus one (0 while
  // unacknowledged) and its log append time. Offsets grow with the number: one ordered producer.
  private final AtomicLongArray offsetOf = new AtomicLongArray(IDS_MAX);
  private final AtomicLongArray appendedAt = new AtomicLongArray(IDS_MAX);
  // When each committed block's finality event arrived, by the block's last log offset.
  private final ConcurrentSkipListMap<Long, Long> committedAt = new ConcurrentSkipListMap<>();
  private volatile long committedOffset = -1;
  private volatile int countFrom;
  private volatile int countTo;
  private final AtomicLong committed = new AtomicLong();
  private final List<long[]> latencies = new ArrayList<>(); // {commitMillis, latencyMillis}
  private volatile boolean stopping;
  private int nextId;
  // REST transport: null for writing to the log directly; else the gateway, and 1 for single.
  private final java.net.@org.jspecify.annotations.Nullable URI gateway;
  private final int batch;
  private final java.net.http.HttpClient http =
      java.net.http.HttpClient.newBuilder()
          .version(java.net.http.HttpClient.Version.HTTP_1_1)
          .build();
  private final AtomicLong failed = new AtomicLong();

  private CertifiedSettlementsLoad(
      LocalNetwork network, java.net.@org.jspecify.annotations.Nullable URI gateway, int batch) {
    this.network = network;
    this.gateway = gateway;
    this.batch = batch;
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                network.kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                2),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  public static void main(String[] args) throws Exception {
    int seconds = intArgument(args, "--seconds", 60);
    int inflight = intArgument(args, "--inflight", 4_000);
    int verifierThreads = intArgument(args, "--verifier-threads", 2);
    int snapshotEveryBlocks = intArgument(args, "--snapshot-every-blocks", 1000);
    int paceOnly = intArgument(args, "--paced-only", 0);
    boolean separate = Arrays.asList(args).contains("--processes");
    String rest = stringArgument(args, "--rest", "");
    if (!rest.isEmpty() && !rest.equals("batch") && !rest.equals("single")) {
      throw new IllegalArgumentException("--rest takes batch or single");
    }
    int batch = rest.equals("batch") ? intArgument(args, "--batch", 50) : 1;
    int cores = Runtime.getRuntime().availableProcessors();
    verifyRatePerCore(Duration.ofSeconds(3)); // warm-up: let the JIT compile the curve code
    double verifyRate = verifyRatePerCore(Duration.ofSeconds(5));
    double bound = cores * verifyRate / 4;
    System.out.printf(
        Locale.ROOT,
        "cores %d; raw Ed25519 verify %.0f/s on one core; bound cores x rate / 4 = %.0f/s%n",
        cores,
        verifyRate,
        bound);
    System.out.println(
        (separate ? "every service a process of its own" : "every service in this JVM")
            + (rest.isEmpty() ? "; settlements written to the log" : "; through REST, " + rest)
            + (rest.equals("batch") ? " of " + batch : ""));
    try (LocalNetwork network =
        separate
            ? LocalNetwork.startProcesses(verifierThreads, snapshotEveryBlocks)
            : LocalNetwork.start(verifierThreads, snapshotEveryBlocks)) {
      CertifiedSettlementsLoad load =
          new CertifiedSettlementsLoad(network, rest.isEmpty() ? null : network.gateway(), batch);
      Thread watcher = new Thread(load::watchFinality, "finality-watcher");
      watcher.setDaemon(true);
      watcher.start();
      load.prepareWorld();

      if (paceOnly > 0) {
        load.pace(Duration.ofSeconds(seconds), paceOnly)
            .print(String.format(Locale.ROOT, "open loop, %d/s offered", paceOnly));
      } else {
        Phase saturation = load.saturate(Duration.ofSeconds(seconds), inflight);
        saturation.print("saturation (closed loop, " + inflight + " in flight)");
        double half = saturation.throughput() / 2;
        Phase paced = load.pace(Duration.ofSeconds(seconds), half);
        paced.print(String.format(Locale.ROOT, "half load (open loop, %.0f/s offered)", half));

        System.out.printf(
            Locale.ROOT,
            "%nresult: %.0f certified settlements/s = %.1f %% of the bound;"
                + " at half load p50 %d ms, p99 %d ms; settlements the gateway did not take: %d%n",
            saturation.throughput(),
            100 * saturation.throughput() / bound,
            paced.percentile(0.5),
            paced.p99(),
            load.failed.get());
      }
      load.stopping = true;
      load.producer.close();
    }
    System.exit(0);
  }

  /** The {@code p} percentile (nearest rank) of ascending {@code sorted}; -1 if it is empty. */
  static long percentileOf(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  }

  /** Raw Bouncy Castle verifications per second on one thread. */
  static double verifyRatePerCore(Duration duration) {
    SigningKey key = TestNetwork.key("bench");
    byte[] message =
        "a signing input of about a hundred bytes, like a JWS header and payload.."
            .getBytes(StandardCharsets.US_ASCII);
    byte[] signature = key.sign(message);
    Ed25519.PublicPoint point =
        Ed25519.validatePublicKeyFullExport(key.verificationKey().toBytes(), 0);
    long count = 0;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    boolean all = true;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) {
        all &= Ed25519.verify(signature, 0, point, message, 0, message.length);
      }
      count += 100;
    }
    if (!all) {
      throw new AssertionError("a valid signature failed to verify");
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  // ------------------------------------------------------------------------------ phases

  /** What one phase measured. */
  @SuppressWarnings("ArrayRecordComponent") // sorted once when measured, only read after
  record Phase(
      Duration duration,
      long certified,
      long rejectedSoFar,
      long[] latenciesMs,
      String stages,
      String cores) {

    double throughput() {
      return certified / (duration.toMillis() / 1000.0);
    }

    long percentile(double p) {
      return percentileOf(latenciesMs, p);
    }

    long p99() {
      return percentile(0.99);
    }

    void print(String name) {
      System.out.printf(
          Locale.ROOT,
          "%s over %d s: %.0f certified settlements/s (%d certified; rejected by the rules so far: %d);"
              + " append to commit p50 %d ms, p99 %d ms, max %d ms%n",
          name,
          duration.toSeconds(),
          throughput(),
          certified,
          rejectedSoFar,
          percentile(0.50),
          p99(),
          latenciesMs.length == 0 ? -1 : latenciesMs[latenciesMs.length - 1]);
      System.out.println("  where the time went: " + stages);
      System.out.println("  " + cores);
    }
  }

  private void prepareWorld() throws Exception {
    net.now = System.currentTimeMillis();
    long last = -1;
    for (LogRecord record : net.world()) {
      last = send(record.value());
    }
    awaitCommitted(last);
    System.out.println("network up: world committed at log offset " + last);
    if (gateway != null) {
      // The gateway checks signatures against its certified directory: wait until it has bank-a.
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (http.send(
                  java.net.http.HttpRequest.newBuilder(gateway.resolve("/v1/instructions/i-12"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding())
              .statusCode()
          != 200) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the gateway did not see the world in 2 minutes");
        }
        Thread.sleep(100);
      }
      System.out.println("gateway at " + gateway + " sees the world");
    }
  }

  private Phase saturate(Duration duration, int inflight) throws Exception {
    double rate = 200_000; // far above capacity: the in-flight bound paces the loop
    // Enough for 6,000/s over the warm-up and the phase: running out ends the run.
    List<byte[]> records =
        sign((int) Math.min(IDS_MAX / 2, 6_000L * (WARMUP.toSeconds() + duration.toSeconds() + 5)));
    return run(records, duration, inflight, rate);
  }

  private Phase pace(Duration duration, double perSecond) throws Exception {
    List<byte[]> records =
        sign((int) (perSecond * (double) (WARMUP.toSeconds() + duration.toSeconds() + 5)) + 1_000);
    return run(records, duration, Integer.MAX_VALUE, perSecond);
  }

  /**
   * Settlements of 1 EUR minor unit from bank-a's issuance account, signed by bank-a, sealed by
   * gateway-1 in a new epoch: records of a phase left unsent leave no gap in the next phase's
   * chain.
   */
  private List<byte[]> sign(int count) {
    if (nextId + (long) count > IDS_MAX) {
      throw new IllegalArgumentException("at most " + IDS_MAX + " settlements per run");
    }
    long now = System.currentTimeMillis();
    EnvelopeWriter gateway =
        new EnvelopeWriter("gateway-1", TestNetwork.LOG, now, TestNetwork.GATEWAY);
    List<byte[]> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] payload =
          TestNetwork.settle(
              "load-" + nextId++, now + 3_000_000, TestNetwork.leg("a-issue", "b-eur", "EUR", 1));
      GeneralJws instruction =
          GeneralJws.sign(JwsType.INSTRUCTION, payload, List.of(TestNetwork.BANK_A));
      records.add(
          this.gateway != null
              ? instruction.toBytes() // the gateway seals it
              : gateway.next(EnvelopeType.INSTRUCTION, instruction.toBytes()).toBytes());
    }
    return records;
  }

  /**
   * Sends {@code records} at most {@code perSecond} and with at most {@code inflight} uncommitted,
   * warms up, then measures for {@code duration}.
   */
  private Phase run(List<byte[]> records, Duration duration, long inflight, double perSecond)
      throws Exception {
    int firstId = nextId - records.size();
    countFrom = firstId;
    countTo = firstId;
    long start = System.nanoTime();
    long measureFrom = start + WARMUP.toNanos();
    long measureTo = measureFrom + duration.toNanos();
    long nextProgress = start + PROGRESS_EVERY.toNanos();
    long lastProgressCommitted = -1;
    long sent = 0;
    long committedAtStart = committed.get();
    long failedAtStart = failed.get();
    long acceptedAtFrom = -1;
    int latenciesFrom = -1;
    int progressLatenciesFrom;
    synchronized (latencies) {
      progressLatenciesFrom = latencies.size();
    }
    LocalNetwork.StageTimes stagesFrom = network.stageTimes();
    Map<String, Double> cpuFrom = network.cpu();
    while (System.nanoTime() < measureTo) {
      long now = System.nanoTime();
      if (acceptedAtFrom < 0 && now >= measureFrom) {
        acceptedAtFrom = committed.get();
        stagesFrom = network.stageTimes();
        cpuFrom = network.cpu();
        synchronized (latencies) {
          latenciesFrom = latencies.size();
        }
      }
      if (now >= nextProgress) {
        long[] recent;
        synchronized (latencies) {
          recent =
              latencies.subList(progressLatenciesFrom, latencies.size()).stream()
                  .mapToLong(l -> l[1])
                  .sorted()
                  .toArray();
          progressLatenciesFrom = latencies.size();
        }
        System.out.printf(
            Locale.ROOT,
            "  %3d s: sent %d, committed %d, in flight %d, not taken %d; append to commit since"
                + " the last line p50 %d ms, p99 %d ms, max %d ms%n",
            (now - start) / 1_000_000_000,
            sent,
            committed.get() - committedAtStart,
            sent - (committed.get() - committedAtStart) - (failed.get() - failedAtStart),
            failed.get() - failedAtStart,
            percentileOf(recent, 0.5),
            percentileOf(recent, 0.99),
            recent.length == 0 ? -1 : recent[recent.length - 1]);
        System.out.println(
            "         log end "
                + network.logEnd()
                + ", last committed offset "
                + committedOffset
                + "; "
                + network.describe());
        if (committed.get() == lastProgressCommitted) {
          System.out.println(
              "  no progress; the log after the last commit:"
                  + network.describeLogFrom(committedOffset - 20));
        }
        lastProgressCommitted = committed.get();
        nextProgress += PROGRESS_EVERY.toNanos();
      }
      long due = (long) ((now - start) / 1e9 * perSecond) + 1;
      long open = sent - (committed.get() - committedAtStart) - (failed.get() - failedAtStart);
      int n = (int) Math.min(batch, records.size() - sent);
      boolean room = open + n <= Math.max(inflight, batch);
      if (sent + n <= due && room && n > 0) {
        if (gateway == null) {
          sendAsync(records.get((int) sent), firstId + (int) sent);
        } else {
          submitAsync(records.subList((int) sent, (int) sent + n), firstId + (int) sent);
        }
        sent += n;
        countTo = firstId + (int) sent;
      } else if (sent >= records.size()) {
        throw new IllegalStateException("signed too few settlements for this phase: " + sent);
      } else {
        Thread.sleep(0, 200_000);
      }
    }
    long accepted = committed.get() - acceptedAtFrom;
    String stages = network.stageTimes().since(stagesFrom);
    Map<String, Double> cpuTo = network.cpu();
    String cores =
        LocalNetwork.cores(cpuFrom, cpuTo, duration.toMillis() / 1000.0)
            + "\n  "
            + LocalNetwork.perSettlement(cpuFrom, cpuTo, accepted);
    long[] measured;
    synchronized (latencies) {
      measured =
          latencies.subList(latenciesFrom, latencies.size()).stream()
              .mapToLong(l -> l[1])
              .toArray();
    }
    Arrays.sort(measured);
    // Drain, so the next phase starts from a quiet network.
    long drainUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (committed.get() - committedAtStart + failed.get() - failedAtStart < sent
        && System.nanoTime() < drainUntil) {
      Thread.sleep(50);
    }
    long rejected = network.rejectedSettlements();
    return new Phase(duration, accepted, rejected, measured, stages, cores);
  }

  // ------------------------------------------------------------------------------ the log

  private long send(byte[] value) throws Exception {
    return producer.send(new ProducerRecord<>("tally.log", 0, null, value)).get().offset();
  }

  private void sendAsync(byte[] value, int id) {
    var unused =
        producer.send(
            new ProducerRecord<>("tally.log", 0, null, value),
            (metadata, error) -> {
              if (error != null) {
                System.err.println("send failed: " + error);
                return;
              }
              appendedAt.set(id, metadata.timestamp());
              offsetOf.set(id, metadata.offset() + 1);
            });
  }

  /**
   * Submits {@code instructions} (numbered from {@code firstId}) to the gateway: one request, to
   * the batch endpoint unless single; records each one's offset and the time of the answer, or
   * counts it as not taken.
   */
  private void submitAsync(List<byte[]> instructions, int firstId) {
    java.net.URI target = Objects.requireNonNull(gateway);
    java.net.http.HttpRequest.Builder request =
        Submissions.request(target, instructions, batch == 1);
    var unused =
        http.sendAsync(
                request.timeout(Duration.ofSeconds(30)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray())
            .whenComplete(
                (response, error) -> {
                  long answeredAt = System.currentTimeMillis();
                  long[] offsets = new long[instructions.size()];
                  Arrays.fill(offsets, FAILED);
                  if (error == null) {
                    readOffsets(response.statusCode(), response.body(), offsets);
                  }
                  for (int i = 0; i < offsets.length; i++) {
                    if (offsets[i] == FAILED) {
                      if (failed.incrementAndGet() <= 5) {
                        System.err.println(
                            "not taken: "
                                + (error != null
                                    ? error
                                    : response.statusCode()
                                        + " "
                                        + new String(response.body(), StandardCharsets.UTF_8)));
                      }
                      offsetOf.set(firstId + i, FAILED);
                    } else {
                      appendedAt.set(firstId + i, answeredAt);
                      offsetOf.set(firstId + i, offsets[i] + 1);
                    }
                  }
                });
  }

  /** Fills {@code offsets} from a 202 (single) or a batch's 200 answer; leaves the rest FAILED. */
  private void readOffsets(int status, byte[] body, long[] offsets) {
    try {
      if (batch == 1) {
        if (status == 202) {
          offsets[0] = JsonReader.parseObject(body, 2).integer("offset");
        }
      } else if (status == 200) {
        for (Object item : JsonReader.parseObject(body, 3).array("results", offsets.length)) {
          JsonObject result = (JsonObject) item;
          if (result.string("status").equals("SUBMITTED")) {
            offsets[(int) result.integer("index")] = result.integer("offset");
          }
        }
      }
    } catch (JsonException | RuntimeException e) {
      // an answer this program cannot read: every instruction of it counts as not taken
    }
  }

  private void awaitCommitted(long offset) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (committedOffset < offset) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("offset " + offset + " was not committed in 120 s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Reads finality events and counts each acknowledged settlement whose offset a committed block
   * covers, with the time from its append to the arrival of that block's event.
   */
  private void watchFinality() {
    Set<Long> heights = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                network.kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition("tally.finalized", 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      int next = 0;
      while (!stopping) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
          long receivedAt = System.currentTimeMillis();
          JsonObject event =
              JsonReader.parseObject(
                  Envelope.open(record.value(), TestNetwork.GENESIS, Stream.finalized(0)).body(),
                  2);
          BlockHeader header = BlockHeader.fromBytes(Base64Url.decode(event.string("header")));
          if (heights.add(header.height())) { // the relay may publish again after a restart
            committedAt.put(header.lastOffset(), receivedAt);
            committedOffset = Math.max(committedOffset, header.lastOffset());
          }
        }
        next = Math.max(next, countFrom);
        while (next < countTo) {
          if (offsetOf.get(next) == FAILED) {
            next++;
            continue;
          }
          long offset = offsetOf.get(next) - 1;
          if (offset < 0 || offset > committedOffset) {
            break; // not acknowledged or not committed yet
          }
          Map.Entry<Long, Long> block = committedAt.ceilingEntry(offset);
          long latency = block == null ? -1 : block.getValue() - appendedAt.get(next);
          synchronized (latencies) {
            latencies.add(new long[] {System.currentTimeMillis(), latency});
          }
          committed.incrementAndGet();
          next++;
        }
      }
    } catch (VerificationException | JsonException | RuntimeException e) {
      // A benchmark that cannot read finality cannot measure: stop loudly.
      e.printStackTrace();
      System.exit(2);
    }
  }

  /** The value of {@code --name value}, or {@code fallback}. */
  static String stringArgument(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  /** The value of {@code --name N}, or {@code fallback}. */
  static int intArgument(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
