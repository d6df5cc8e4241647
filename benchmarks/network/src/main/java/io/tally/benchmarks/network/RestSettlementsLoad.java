package io.tally.benchmarks.network;

import io.tally.engine.LogRecord;
import io.tally.engine.TestNetwork;
import io.tally.testing.LocalPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;

/**
 * The REST load benchmark (not a test): settlements signed by a client, submitted through the
 * gateway with {@code Prefer: wait}, so each request measures submit to final. Four validators, a
 * ledger and a gateway in this JVM on a real broker and a real PostgreSQL (synchronous commit).
 * Prints, measured in the same run: the raw Ed25519 verify rate, a pgbench TPC-B run (8 clients,
 * synchronous commit) on the same embedded PostgreSQL build, the sustained finalized settlements
 * per second with several client threads (closed loop), and p50/p99 submit-to-final at half of that
 * load (open loop).
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * mvn -B -q -f benchmarks/network exec:java \
 *     -Dbenchmark.main=io.tally.benchmarks.network.RestSettlementsLoad -Dexec.args="--seconds 60"
 * </pre>
 *
 * Options: {@code --seconds N} per phase (default 60), {@code --clients N} closed-loop threads
 * (default 64), {@code --pgbench-seconds N} (default 30). pgbench comes with the PostgreSQL client
 * tools (Debian: {@code postgresql-client}); without it that comparison is reported as missing.
 */
public final class RestSettlementsLoad {

  private static final Duration WARMUP = Duration.ofSeconds(20);
  private static final int WAIT_SECONDS = 10;

  private final URI gateway;
  private final HttpClient http =
      HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
  private final TestNetwork net = new TestNetwork();
  private final AtomicInteger nextId = new AtomicInteger();
  private final AtomicLong failures = new AtomicLong();

  private RestSettlementsLoad(URI gateway) {
    this.gateway = gateway;
  }

  public static void main(String[] args) throws Exception {
    int seconds = CertifiedSettlementsLoad.intArgument(args, "--seconds", 60);
    int clients = CertifiedSettlementsLoad.intArgument(args, "--clients", 64);
    int pgbenchSeconds = CertifiedSettlementsLoad.intArgument(args, "--pgbench-seconds", 30);
    int cores = Runtime.getRuntime().availableProcessors();
    CertifiedSettlementsLoad.verifyRatePerCore(Duration.ofSeconds(3)); // JIT warm-up
    double verifyRate = CertifiedSettlementsLoad.verifyRatePerCore(Duration.ofSeconds(5));
    double bound = cores * verifyRate / 4;
    System.out.printf(
        Locale.ROOT,
        "cores %d; raw Ed25519 verify %.0f/s on one core; bound cores x rate / 4 = %.0f/s%n",
        cores,
        verifyRate,
        bound);
    double pgbenchTps = pgbench(pgbenchSeconds);

    try (LocalNetwork network = LocalNetwork.start(2, 1000)) {
      RestSettlementsLoad load = new RestSettlementsLoad(network.startGateway());
      load.prepareWorld(network);
      Phase saturation = load.closedLoop(Duration.ofSeconds(seconds), clients);
      saturation.print("saturation (closed loop, " + clients + " clients)");
      double half = saturation.throughput() / 2;
      Phase paced = load.openLoop(Duration.ofSeconds(seconds), half);
      paced.print(String.format(Locale.ROOT, "half load (open loop, %.0f/s offered)", half));
      System.out.printf(
          Locale.ROOT,
          "%nresult: %.0f finalized settlements/s through REST = %.1f %% of the bound (target >= 50"
              + " %%) and %s pgbench's TPC-B tps (target >= 0.75); p99 submit to final at half load"
              + " %d ms (target <= 500 ms); requests that failed: %d%n",
          saturation.throughput(),
          100 * saturation.throughput() / bound,
          pgbenchTps > 0
              ? String.format(Locale.ROOT, "%.2f x", saturation.throughput() / pgbenchTps)
              : "(no pgbench)",
          paced.p99(),
          load.failures.get());
    }
    System.exit(0);
  }

  // ------------------------------------------------------------------ pgbench

  /** TPC-B (pgbench's default script), 8 clients, synchronous commit; the tps, or -1. */
  static double pgbench(int seconds) throws Exception {
    Path binary = pgbenchBinary();
    if (binary == null) {
      System.out.println("pgbench: not found (install the PostgreSQL client tools); skipped");
      return -1;
    }
    try (LocalPostgres postgres = LocalPostgres.start()) {
      Matcher url =
          Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/[^?]*\\?user=([^&]+)&password=([^&]+)")
              .matcher(postgres.adminUrl());
      if (!url.find()) {
        System.out.println("pgbench: cannot read " + postgres.adminUrl() + "; skipped");
        return -1;
      }
      List<String> connection =
          List.of("-h", url.group(1), "-p", url.group(2), "-U", url.group(3), "postgres");
      run(binary, url.group(4), concat(List.of("-i", "-q", "-s", "8"), connection));
      String out =
          run(
              binary,
              url.group(4),
              concat(
                  List.of("-c", "8", "-j", "2", "-T", Integer.toString(seconds), "-M", "prepared"),
                  connection));
      Matcher tps =
          Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(out);
      if (!tps.find()) {
        System.out.println("pgbench: no tps in its output:\n" + out);
        return -1;
      }
      double value = Double.parseDouble(tps.group(1));
      System.out.printf(
          Locale.ROOT,
          "pgbench TPC-B, scale 8, 8 clients, 2 threads, %d s, synchronous_commit on: %.0f tps%n",
          seconds,
          value);
      return value;
    }
  }

  private static @Nullable Path pgbenchBinary() throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":", -1)) {
      Path candidate = Path.of(dir, "pgbench");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    Path versions = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(versions)) {
      try (var dirs = Files.list(versions)) {
        return dirs.map(d -> d.resolve("bin/pgbench"))
            .filter(Files::isExecutable)
            .sorted()
            .reduce((a, b) -> b)
            .orElse(null);
      }
    }
    return null;
  }

  private static String run(Path binary, String password, List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", password);
    builder.environment().put("PGOPTIONS", "-c synchronous_commit=on");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("pgbench failed:\n" + out);
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> both = new ArrayList<>(a);
    both.addAll(b);
    return both;
  }

  // ------------------------------------------------------------------ the network

  private void prepareWorld(LocalNetwork network) throws Exception {
    net.now = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer = network.kafka.producer()) {
      for (LogRecord record : net.world()) {
        producer.send(new ProducerRecord<>("tally.log", 0, null, record.value())).get();
      }
    }
    // The gateway checks signatures against its certified directory: wait until it has bank-a.
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> status =
          http.send(
              HttpRequest.newBuilder(gateway.resolve("/v1/instructions/i-12")).build(),
              HttpResponse.BodyHandlers.ofString());
      if (status.statusCode() == 200) {
        System.out.println("network up: world final; gateway at " + gateway);
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the world did not become final in 2 minutes");
  }

  /**
   * Settlements of 1 minor unit from bank-a's issuance account, signed by bank-a, ahead of time.
   */
  private List<byte[]> sign(int count) {
    return Submissions.signed(
        "rest-", nextId.getAndAdd(count) + 1, count, System.currentTimeMillis() + 3_000_000);
  }

  /** Submits and waits for finality; the latency in ms, or -1 if it did not end final. */
  private long submitAndWait(byte[] instruction) {
    long start = System.nanoTime();
    try {
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(gateway.resolve("/v1/instructions"))
                  .header("Content-Type", "application/jose+json")
                  .header("Prefer", "wait=" + WAIT_SECONDS + ", return=minimal")
                  .timeout(Duration.ofSeconds(WAIT_SECONDS + 5))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(instruction))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 200) {
        return (System.nanoTime() - start) / 1_000_000;
      }
    } catch (IOException e) {
      // counted below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failures.incrementAndGet();
    return -1;
  }

  /** {@code clients} threads, each submitting and waiting in turn. */
  private Phase closedLoop(Duration duration, int clients) throws Exception {
    List<byte[]> signed =
        sign((int) Math.min(600_000, 3_000L * (WARMUP.toSeconds() + duration.toSeconds() + 5)));
    AtomicInteger next = new AtomicInteger();
    long measureFrom = System.nanoTime() + WARMUP.toNanos();
    long measureTo = measureFrom + duration.toNanos();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      var unused =
          threads.submit(
              () -> {
                while (System.nanoTime() < measureTo) {
                  int i = next.getAndIncrement();
                  if (i >= signed.size()) {
                    return;
                  }
                  long started = System.nanoTime();
                  long latency = submitAndWait(signed.get(i));
                  if (latency >= 0 && started >= measureFrom && System.nanoTime() <= measureTo) {
                    latencies.add(latency);
                  }
                }
              });
    }
    progress(measureTo);
    threads.shutdown();
    threads.awaitTermination(WAIT_SECONDS + 20, TimeUnit.SECONDS);
    if (next.get() >= signed.size()) {
      throw new IllegalStateException("signed too few settlements for this phase");
    }
    return Phase.of(duration, latencies);
  }

  /** Requests at {@code perSecond}, each on its own thread while it waits. */
  private Phase openLoop(Duration duration, double perSecond) throws Exception {
    List<byte[]> signed =
        sign((int) (perSecond * (WARMUP.toSeconds() + duration.toSeconds() + 5)) + 100);
    long start = System.nanoTime();
    long measureFrom = start + WARMUP.toNanos();
    long measureTo = measureFrom + duration.toNanos();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newCachedThreadPool();
    int sent = 0;
    while (System.nanoTime() < measureTo && sent < signed.size()) {
      long due = start + (long) (sent * 1e9 / perSecond);
      long sleep = due - System.nanoTime();
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
      byte[] instruction = signed.get(sent++);
      var unused =
          threads.submit(
              () -> {
                long started = System.nanoTime();
                long latency = submitAndWait(instruction);
                if (latency >= 0 && started >= measureFrom) {
                  latencies.add(latency);
                }
              });
    }
    if (System.nanoTime() < measureTo) {
      throw new IllegalStateException("signed too few settlements for this phase: " + sent);
    }
    threads.shutdown();
    threads.awaitTermination(WAIT_SECONDS + 20, TimeUnit.SECONDS);
    return Phase.of(duration, latencies);
  }

  private void progress(long until) throws InterruptedException {
    while (System.nanoTime() < until) {
      Thread.sleep(Math.min(10_000, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
      System.out.printf(
          Locale.ROOT, "  signed %d so far, %d requests failed%n", nextId.get(), failures.get());
    }
  }

  /** What a phase measured: settlements final within it and their submit-to-final latencies. */
  @SuppressWarnings("ArrayRecordComponent") // sorted once, only read after
  record Phase(Duration duration, long[] latenciesMs) {

    static Phase of(Duration duration, List<Long> latencies) {
      long[] sorted;
      synchronized (latencies) {
        sorted = latencies.stream().mapToLong(Long::longValue).toArray();
      }
      Arrays.sort(sorted);
      return new Phase(duration, sorted);
    }

    double throughput() {
      return latenciesMs.length / (duration.toMillis() / 1000.0);
    }

    long percentile(double p) {
      return CertifiedSettlementsLoad.percentileOf(latenciesMs, p);
    }

    long p99() {
      return percentile(0.99);
    }

    void print(String name) {
      System.out.printf(
          Locale.ROOT,
          "%s over %d s: %.0f finalized settlements/s (%d); submit to final p50 %d ms, p99 %d ms,"
              + " max %d ms%n",
          name,
          duration.toSeconds(),
          throughput(),
          latenciesMs.length,
          percentile(0.50),
          p99(),
          latenciesMs.length == 0 ? -1 : latenciesMs[latenciesMs.length - 1]);
    }
  }
}
