package io.tally.benchmarks.network;

import io.tally.engine.LogRecord;
import io.tally.engine.TestNetwork;
import io.tally.ledger.LedgerServiceApplication;
import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import io.tally.testing.network.NetworkPlan;
import io.tally.testing.network.NodeProcess;
import io.tally.testing.network.NodeProcesses;
import io.tally.validator.ValidatorServiceApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The gateway on its own: what it costs to accept an instruction, single and in batches, with no
 * validator or ledger sharing its cores, then what its certified replica costs to follow what it
 * wrote.
 *
 * <p>This program starts the broker (in its JVM) and PostgreSQL, lets validators 1 to 3 and
 * ledger-1 (processes of their own) certify the test world, stops them, and starts gateway-1 as a
 * process of its own ({@code backlog-max} raised, since nothing certifies while it is measured).
 * For each of batches of {@code --batches} (default 10, 50, 100), then single requests, it signs
 * settlements ahead, then {@code --clients} threads (default 16) of this JVM submit them on
 * kept-alive connections, closed loop, for {@code --seconds} (default 20) after a 20 s warm-up:
 * accepted instructions per second and the gateway's CPU (user plus system, {@code /proc}) per
 * accepted instruction, with its CPU by thread. After each phase it starts the validators and the
 * ledger again and measures the gateway's CPU while its replica follows what it wrote to finality
 * (by thread: the replica's own threads are the cost that belongs to the gateway); what a gateway
 * wrote stays in its memory until certified, so no phase inherits the one before.
 */
public final class GatewayLoad {

  private static final Duration WARMUP = Duration.ofSeconds(20);

  private final URI gateway;
  private final long pid;
  private final double verifyRate;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicInteger nextId = new AtomicInteger();
  private final AtomicInteger lastAccepted = new AtomicInteger(-1);
  private final AtomicLong written = new AtomicLong();
  private long certifiedWritten;

  private GatewayLoad(URI gateway, long pid, double verifyRate) {
    this.gateway = gateway;
    this.pid = pid;
    this.verifyRate = verifyRate;
  }

  public static void main(String[] args) throws Exception {
    int seconds = CertifiedSettlementsLoad.intArgument(args, "--seconds", 20);
    int clients = CertifiedSettlementsLoad.intArgument(args, "--clients", 16);
    List<Integer> batches = new ArrayList<>();
    for (String size :
        CertifiedSettlementsLoad.stringArgument(args, "--batches", "10,50,100").split(",", -1)) {
      int n = Integer.parseInt(size.trim());
      if (n > 1) {
        batches.add(n); // --batches 0 measures single requests only
      }
    }
    // Single requests last: the batches warm up the JIT for the code they share (on 2 cores the
    // gateway's one C2 thread is still compiling a minute after start).
    batches.add(1);
    CertifiedSettlementsLoad.verifyRatePerCore(Duration.ofSeconds(3));
    double verifyRate = CertifiedSettlementsLoad.verifyRatePerCore(Duration.ofSeconds(5));
    System.out.printf(
        Locale.ROOT,
        "raw Ed25519 verify %.0f/s on one thread (%.1f µs each); %d client threads, %d s per phase%n",
        verifyRate,
        1e6 / verifyRate,
        clients,
        seconds);
    Path dir = Files.createTempDirectory("tally-gateway-");
    try (LocalKafka kafka = LocalKafka.start();
        LocalPostgres postgres = LocalPostgres.start()) {
      NetworkPlan.createTopics(kafka);
      NetworkPlan plan =
          NetworkPlan.in(dir)
              .genesis(TestNetwork.GENESIS_BYTES, TestNetwork::key)
              .kafka(kafka.bootstrapServers())
              .databases(name -> postgres.createDatabase("gateway_" + name))
              .build();
      NodeProcesses processes = new NodeProcesses(dir, CatchUpLoad.classPath());
      TestNetwork net = new TestNetwork();
      net.now = System.currentTimeMillis();
      try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
        for (LogRecord record : net.world()) {
          producer.send(new ProducerRecord<>("tally.log", 0, null, record.value())).get();
        }
      }
      List<NodeProcess> certifiers = startCertifiers(processes, plan);
      NodeProcess ledger = certifiers.get(certifiers.size() - 1);
      NodeProcess gatewayProcess =
          processes.start(
              "gateway-1",
              io.tally.gateway.GatewayServiceApplication.class,
              plan.gateway("gateway-1", "http://127.0.0.1:" + ledger.port())
                  .with("tally.gateway.backlog-max", "100000000")
                  .with("spring.main.banner-mode", "off"));
      GatewayLoad load =
          new GatewayLoad(
              URI.create("http://127.0.0.1:" + gatewayProcess.port()),
              gatewayProcess.process().pid(),
              verifyRate);
      load.awaitFinal("i-12", Duration.ofMinutes(3));
      NodeProcesses.stop(certifiers, Duration.ofSeconds(20));
      System.out.println("world certified; validators and ledger stopped; the gateway is alone");

      for (int batch : batches) {
        load.phase(batch, clients, Duration.ofSeconds(seconds));
        // What the gateway wrote stays in its memory until certified: certify it before the next
        // phase, so no phase pays for the one before.
        load.certifyWritten(processes, plan);
      }
      NodeProcesses.stop(List.of(gatewayProcess), Duration.ofSeconds(20));
    } finally {
      CatchUpLoad.deleteTree(dir);
    }
    System.exit(0);
  }

  /**
   * Starts the validators and the ledger, waits until the gateway reports the last instruction it
   * accepted final, and prints the gateway's CPU per instruction meanwhile (by thread: its
   * replica's threads are the cost of following what it wrote); stops them again.
   */
  private void certifyWritten(NodeProcesses processes, NetworkPlan plan)
      throws IOException, InterruptedException {
    Map<String, Double> threadsFrom = ProcessCpu.threads(pid);
    double from = ProcessCpu.seconds(pid);
    long started = System.nanoTime();
    List<NodeProcess> certifiers = startCertifiers(processes, plan);
    awaitFinal("gw-" + lastAccepted.get(), Duration.ofMinutes(20));
    double used = ProcessCpu.seconds(pid) - from;
    long followed = written.get() - certifiedWritten;
    certifiedWritten = written.get();
    System.out.printf(
        Locale.ROOT,
        "  certified: the replica followed %d instructions to finality in %.0f s (validators 1 to 3"
            + " and the ledger catching up beside it); the gateway's CPU meanwhile %.1f µs per"
            + " instruction; by thread: %s%n",
        followed,
        (System.nanoTime() - started) / 1e9,
        1e6 * used / Math.max(1, followed),
        ProcessCpu.topThreads(threadsFrom, ProcessCpu.threads(pid), used, 6));
    NodeProcesses.stop(certifiers, Duration.ofSeconds(20));
  }

  /** Validators 1 to 3 and ledger-1 (last), each a process of its own. */
  private static List<NodeProcess> startCertifiers(NodeProcesses processes, NetworkPlan plan)
      throws IOException {
    List<NodeProcess> started = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      started.add(
          processes.start("validator-" + i, ValidatorServiceApplication.class, plan.validator(i)));
    }
    started.add(
        processes.start("ledger-1", LedgerServiceApplication.class, plan.ledger("ledger-1")));
    return started;
  }

  /** Waits until the gateway reports instruction {@code id} final. */
  private void awaitFinal(String id, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> status =
            http.send(
                HttpRequest.newBuilder(gateway.resolve("/v1/instructions/" + id)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (status.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(id + " was not final within " + within);
  }

  /**
   * {@code clients} threads submit signed settlements in requests of {@code batch} (1: the single
   * endpoint) for the warm-up and {@code duration}; prints what the measured part accepted and the
   * gateway's CPU per accepted instruction.
   */
  private void phase(int batch, int clients, Duration duration) throws Exception {
    // Enough for 10,000 accepted per second; running out ends the phase early (reported).
    int count = (int) (10_000 * (WARMUP.toSeconds() + duration.toSeconds()));
    int idBase = nextId.get();
    List<byte[]> signed = sign(count);
    AtomicInteger next = new AtomicInteger();
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long measureFrom = System.nanoTime() + WARMUP.toNanos();
    long measureTo = measureFrom + duration.toNanos();
    ExecutorService threads = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      var unused =
          threads.submit(
              () -> {
                while (System.nanoTime() < measureTo) {
                  int first = next.getAndAdd(batch);
                  if (first + batch > signed.size()) {
                    return;
                  }
                  int taken = submit(signed.subList(first, first + batch), batch);
                  written.addAndGet(taken);
                  if (taken == batch) {
                    lastAccepted.accumulateAndGet(idBase + first + batch - 1, Math::max);
                  }
                  long now = System.nanoTime();
                  if (now >= measureFrom && now <= measureTo) {
                    accepted.addAndGet(taken);
                    refused.addAndGet(batch - taken);
                  }
                }
                return;
              });
    }
    Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
    double cpuFrom = ProcessCpu.seconds(pid);
    double clientFrom = ProcessCpu.seconds(ProcessHandle.current().pid());
    double machineFrom = ProcessCpu.machineBusySeconds();
    Map<String, Double> threadsFrom = ProcessCpu.threads(pid);
    long from = System.nanoTime();
    long before = accepted.get();
    threads.shutdown();
    boolean early = !threads.awaitTermination(duration.toSeconds() + 30, TimeUnit.SECONDS);
    if (early) {
      threads.shutdownNow();
    }
    double elapsed = (Math.min(System.nanoTime(), measureTo) - from) / 1e9;
    double used = ProcessCpu.seconds(pid) - cpuFrom;
    double client = ProcessCpu.seconds(ProcessHandle.current().pid()) - clientFrom;
    double machine = ProcessCpu.machineBusySeconds() - machineFrom;
    long taken = accepted.get() - before;
    System.out.printf(
        Locale.ROOT,
        "%n%s: %d accepted in %.1f s = %.0f/s (refused %d)%s%n  the gateway's CPU per accepted"
            + " instruction %.1f µs = %.2f times one verification; the gateway used %.2f cores, the"
            + " load generator and broker %.2f, the rest %.2f%n  by thread: %s%n",
        batch == 1 ? "single requests" : "batches of " + batch,
        taken,
        elapsed,
        taken / elapsed,
        refused.get(),
        next.get() >= signed.size() ? " (ran out of signed settlements)" : "",
        1e6 * used / Math.max(1, taken),
        used / Math.max(1, taken) * verifyRate,
        used / elapsed,
        client / elapsed,
        (machine - used - client) / elapsed,
        ProcessCpu.topThreads(threadsFrom, ProcessCpu.threads(pid), used, 8));
  }

  /** Submits {@code instructions} in one request; how many the gateway accepted. */
  private int submit(List<byte[]> instructions, int batch) {
    HttpRequest.Builder request = Submissions.request(gateway, instructions, batch == 1);
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (batch == 1) {
        return response.statusCode() == 202 ? 1 : 0;
      }
      if (response.statusCode() != 200) {
        return 0;
      }
      String answer = response.body();
      int submitted = answer.indexOf("\"submitted\":");
      return submitted < 0
          ? 0
          : Integer.parseInt(
              answer.substring(submitted + 12, answer.indexOf(',', submitted)).trim());
    } catch (IOException | RuntimeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** Settlements signed ahead, numbered on from the last phase's. */
  private List<byte[]> sign(int count) {
    return Submissions.signed(
        "gw-", nextId.getAndAdd(count), count, System.currentTimeMillis() + 3_000_000);
  }
}
