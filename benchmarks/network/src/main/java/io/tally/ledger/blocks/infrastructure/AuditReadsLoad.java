package io.tally.ledger.blocks.infrastructure;

import io.tally.engine.BlockResult;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.PreVerified;
import io.tally.engine.TestNetwork;
import io.tally.follower.ParallelPreVerifier;
import io.tally.follower.VoteArrivals;
import io.tally.ledger.LedgerServiceApplication;
import io.tally.ledger.blocks.application.LedgerStore;
import io.tally.protocol.block.FinalizedEvent;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.block.Vote;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.token.AccessToken;
import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import io.tally.testing.network.InProcess;
import io.tally.testing.network.NetworkPlan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The auditors' reads over a ledger of {@code --settlements} (default 1,000,000) committed
 * settlements: the records are signed (participant and gateway seal), pre-verified and applied by
 * the real engine in blocks of {@code --block} (default 100), certified by 3 of the test
 * validators, and committed through the ledger's own commit path ({@link JdbcLedgerStore}, one
 * transaction per block, as the ledger's loop does) into PostgreSQL (embedded, or {@code
 * TALLY_TEST_POSTGRES_URL}); a ledger service on that database then answers each list and search of
 * its audit API ({@code /v1/audit/...}, docs/audit-api.md) over HTTP, {@code --requests} times
 * (default 100, after 10 unmeasured) with random parameters, and the p50, p95 and max per query are
 * printed; then the same through a gateway in front of that ledger, each request with a fresh
 * access token of an auditor (registered in the first block, which is also written to the log so
 * that the gateway's replica certifies it). Target (issue 16): p95 under 200 ms for every list and
 * search.
 *
 * <p>{@code mvn -B -q -f benchmarks/network exec:java
 * -Dbenchmark.main=io.tally.ledger.blocks.infrastructure.AuditReadsLoad}
 */
public final class AuditReadsLoad {

  private static final int ACCOUNTS_PER_BANK = 500;
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

  private AuditReadsLoad() {}

  public static void main(String[] args) throws Exception {
    int settlements = intArgument(args, "--settlements", 1_000_000);
    int blockSize = intArgument(args, "--block", 100);
    int requests = intArgument(args, "--requests", 100);
    try (LocalKafka kafka = LocalKafka.start();
        LocalPostgres postgres = LocalPostgres.start()) {
      // The first block is also written to the log (its records then carry the broker's append
      // time), so that a gateway's replica computes and certifies it: it registers the auditor.
      NetworkPlan.createTopics(kafka);
      NetworkPlan plan =
          NetworkPlan.in(Files.createTempDirectory("tally-audit-bench-"))
              .genesis(TestNetwork.GENESIS_BYTES, TestNetwork::key)
              .kafka(kafka.bootstrapServers())
              .databases(name -> postgres.createDatabase("bench_audit_" + name))
              .build();
      String database = plan.ledger("ledger-1").database();
      ConfigurableApplicationContext ledger =
          InProcess.start(
              LedgerServiceApplication.builder(),
              plan.ledger("ledger-1").with("spring.main.banner-mode", "off"));
      ConfigurableApplicationContext gateway = null;
      try {
        long start = System.nanoTime();
        Loaded loaded = load(kafka, database, settlements, blockSize);
        long committed = loaded.entries();
        System.out.printf(
            Locale.ROOT,
            "loaded %,d entries through the ledger's commit path in %.0f s%n",
            committed,
            (System.nanoTime() - start) / 1e9);
        new JdbcTemplate(new DriverManagerDataSource(database)).execute("ANALYZE");
        URI base = URI.create("http://127.0.0.1:" + InProcess.port(ledger));
        // A gateway in front of the ledger; its replica follows the log's first block.
        gateway =
            InProcess.start(
                io.tally.gateway.GatewayServiceApplication.builder(),
                plan.gateway("gateway-1", base.toString()).with("spring.main.banner-mode", "off"));
        URI gatewayBase = URI.create("http://127.0.0.1:" + InProcess.port(gateway));
        awaitAuditor(gatewayBase);
        System.out.println("at the ledger's internal audit API:");
        measure(base, false, loaded.firstLogTime(), settlements, requests);
        System.out.println(
            "through the gateway, as the dashboard asks (a fresh auditor token per request):");
        measure(gatewayBase, true, loaded.firstLogTime(), settlements, requests);
      } finally {
        if (gateway != null) {
          gateway.close();
        }
        ledger.close();
      }
    }
    // Like the other load programs: the broker's and the ledger's client threads end with the JVM.
    System.exit(0);
  }

  /** Waits until the gateway's replica certified the block that registers the auditor. */
  private static void awaitAuditor(URI gateway) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(gateway.resolve("/v1/audit/validators"))
                  .header("Authorization", "Bearer " + auditorToken())
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the gateway does not answer the auditor: "
                + response.statusCode()
                + " "
                + response.body());
      }
      Thread.sleep(500);
    }
  }

  private static final SigningKey AUDITOR = TestNetwork.key("auditor-1");
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private static String auditorToken() {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    return AccessToken.issue(
        "auditor-1",
        AccessToken.gatewayAudience(TestNetwork.GENESIS.network()),
        System.currentTimeMillis() / 1000,
        Duration.ofMinutes(1),
        id,
        AUDITOR);
  }

  /**
   * Signs, executes and commits the world, {@value #ACCOUNTS_PER_BANK} EUR accounts per bank, then
   * {@code settlements} payments between them (about 1 % refused for insufficient funds).
   */
  /** What the load committed: entries, and the log time of its first block. */
  private record Loaded(long entries, long firstLogTime) {}

  /** Settlement {@code i}'s log time: four a millisecond, about the pace the load commits at. */
  private static long logTime(long firstLogTime, int i) {
    return firstLogTime + i / 4;
  }

  private static Loaded load(LocalKafka kafka, String database, int settlements, int blockSize)
      throws Exception {
    DriverManagerDataSource source =
        new DriverManagerDataSource(
            database + (database.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true");
    JdbcLedgerStore store =
        new JdbcLedgerStore(
            new JdbcTemplate(source),
            new TransactionTemplate(new DataSourceTransactionManager(source)),
            () -> {});
    ExecutorService threads = Executors.newFixedThreadPool(2);
    ParallelPreVerifier verifiers = new ParallelPreVerifier(threads);
    Engine engine = new Engine(TestNetwork.GENESIS, 0);
    TestNetwork net = new TestNetwork();
    net.now = System.currentTimeMillis();
    Block block = new Block(store, engine, verifiers);
    List<LogRecord> written = new ArrayList<>(net.world());
    written.add(
        net.governance(registerAuditor(net, net.id()), TestNetwork.ADMIN_1, TestNetwork.ADMIN_2));
    written.add(net.cut(1));
    // As the network sees them: the offsets and append times the broker gave them.
    List<LogRecord> first = new ArrayList<>(written.size());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (LogRecord record : written) {
        RecordMetadata metadata =
            producer.send(new ProducerRecord<>("tally.log", 0, null, record.value())).get();
        if (metadata.offset() != record.offset()) {
          throw new IllegalStateException("the log is not empty: record at " + metadata.offset());
        }
        first.add(new LogRecord(metadata.offset(), metadata.timestamp(), record.value()));
      }
    }
    block.commitOffered(first);
    long startTime = first.get(first.size() - 1).logTime();
    net.now = startTime;
    List<LogRecord> accounts = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS_PER_BANK; i++) {
      accounts.add(
          net.instruction(
              net.openAccount(net.id(), "a-" + i, "bank-a", "EUR"), TestNetwork.BANK_A));
      accounts.add(
          net.instruction(
              net.openAccount(net.id(), "b-" + i, "bank-b", "EUR"), TestNetwork.BANK_B));
    }
    accounts.add(
        net.instruction(
            net.openAccount(net.id(), "b-eur-issue", "bank-b", "EUR", "issuance"),
            TestNetwork.BANK_B));
    block.commit(accounts);

    // Signing in parallel, sealing in order (the seal chains each record to the one before).
    EnvelopeWriter gateway =
        new EnvelopeWriter("gateway-1", TestNetwork.LOG, startTime, TestNetwork.GATEWAY);
    long offset = block.nextOffset;
    long last = System.nanoTime();
    long committed = block.entries;
    for (int from = 0; from < settlements; from += blockSize * 100) {
      int to = Math.min(settlements, from + blockSize * 100);
      int base = from;
      List<byte[]> signed =
          IntStream.range(from, to)
              .parallel()
              .mapToObj(i -> instruction(i, logTime(startTime, i)))
              .toList();
      List<LogRecord> records = new ArrayList<>(blockSize);
      for (int i = 0; i < signed.size(); i++) {
        byte[] sealed = gateway.next(EnvelopeType.INSTRUCTION, signed.get(i)).toBytes();
        records.add(new LogRecord(offset++, logTime(startTime, base + i), sealed));
        if (records.size() == blockSize) {
          block.commit(records);
          records = new ArrayList<>(blockSize);
        }
      }
      if (!records.isEmpty()) {
        block.commit(records);
      }
      committed = block.entries;
      if (System.nanoTime() - last > PROGRESS_EVERY.toNanos()) {
        last = System.nanoTime();
        System.out.printf(Locale.ROOT, "  %,d of %,d settlements committed%n", to, settlements);
      }
    }
    threads.shutdown();
    return new Loaded(committed, startTime);
  }

  /**
   * Payment {@code i}: from an issuance account to a bank account, or between bank accounts; every
   * 100th one asks more than the debtor holds.
   */
  private static byte[] instruction(int i, long logTime) {
    SplittableRandom random = new SplittableRandom(i);
    boolean bankA = random.nextBoolean();
    String debit;
    SigningKey signer;
    long amount = 1 + random.nextLong(1_000_000);
    if (i % 100 == 99) {
      debit = (bankA ? "a-" : "b-") + random.nextInt(ACCOUNTS_PER_BANK);
      amount = 900_000_000_000L;
    } else {
      debit = bankA ? "a-issue" : "b-eur-issue";
    }
    signer = bankA ? TestNetwork.BANK_A : TestNetwork.BANK_B;
    String credit = (random.nextBoolean() ? "a-" : "b-") + random.nextInt(ACCOUNTS_PER_BANK);
    byte[] payload =
        TestNetwork.settle(
            "pay-" + i, logTime + 60_000, TestNetwork.leg(debit, credit, "EUR", amount));
    return GeneralJws.sign(JwsType.INSTRUCTION, payload, List.of(signer)).toBytes();
  }

  /** The auditor's registration: a participant with the {@code auditor} role. */
  private static byte[] registerAuditor(TestNetwork net, String id) {
    long notAfter = net.notAfter();
    return TestNetwork.json(
        j -> {
          j.member("id", id).member("kind", "register-participant").member("notAfter", notAfter);
          j.member("participant", "auditor-1").member("name", "Auditor 1");
          j.name("roles").beginArray().value("auditor").endArray();
          j.name("keys").beginArray();
          AUDITOR.verificationKey().toJwk().writeTo(j);
          j.endArray();
        });
  }

  /** The ledger's loop, for the load: pre-verify, apply, certify by 3 of 4, commit. */
  private static final class Block {
    private static final List<SigningKey> VOTERS =
        List.of(
            TestNetwork.key("validator-1"),
            TestNetwork.key("validator-2"),
            TestNetwork.key("validator-3"));
    private final JdbcLedgerStore store;
    private final Engine engine;
    private final ParallelPreVerifier verifiers;
    long nextOffset;
    long entries;
    private long votesOffset;

    Block(JdbcLedgerStore store, Engine engine, ParallelPreVerifier verifiers) {
      this.store = store;
      this.engine = engine;
      this.verifiers = verifiers;
    }

    /** A block that ends with a cut record, offered record by record as the network does. */
    void commitOffered(List<LogRecord> records) throws InterruptedException {
      List<PreVerified> verified = verifiers.preVerify(engine, records);
      java.util.Optional<BlockResult> closed = java.util.Optional.empty();
      for (PreVerified entry : verified) {
        closed = engine.offer(entry);
      }
      commit(
          records, closed.orElseThrow(() -> new IllegalStateException("the cut closed no block")));
    }

    void commit(List<LogRecord> records) throws InterruptedException {
      commit(records, engine.apply(verifiers.preVerify(engine, records)));
    }

    private void commit(List<LogRecord> records, BlockResult result) {
      List<Vote> votes = VOTERS.stream().map(key -> Vote.sign(result.header(), key)).toList();
      QuorumCertificate certificate = QuorumCertificate.assemble(votes);
      List<String> signers = List.of("validator-1", "validator-2", "validator-3");
      List<VoteArrivals.Arrival> arrivals = new ArrayList<>();
      long logTime = records.get(records.size() - 1).logTime();
      for (String signer : signers) {
        arrivals.add(new VoteArrivals.Arrival(signer, votesOffset++, logTime + 5));
      }
      List<@Nullable String> kinds = new ArrayList<>(records.size());
      for (int i = 0; i < records.size(); i++) {
        kinds.add(kind(records.get(i)));
      }
      store.commit(
          new LedgerStore.CommittedBlock(
              0,
              result,
              certificate,
              signers,
              records,
              records.get(records.size() - 1).offset() + 1,
              votesOffset,
              null,
              FinalizedEvent.toBytes(result.header(), certificate),
              java.util.Collections.unmodifiableList(kinds),
              arrivals));
      nextOffset = records.get(records.size() - 1).offset() + 1;
      entries += records.size();
    }

    private static @Nullable String kind(LogRecord record) {
      try {
        return io.tally.protocol.envelope.Envelope.parse(
                record.value(), TestNetwork.GENESIS, TestNetwork.LOG)
            .type()
            .wireName();
      } catch (io.tally.protocol.VerificationException e) {
        return null;
      }
    }
  }

  /** Each query {@code requests} times with random parameters: p50, p95, max. */
  private static void measure(
      URI base, boolean asAuditor, long firstLogTime, int settlements, int requests)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    SplittableRandom random = new SplittableRandom(42);
    Map<String, Supplier<String>> queries = new LinkedHashMap<>();
    queries.put("entries (newest page)", () -> "entries?limit=20");
    queries.put("entries, deep page", () -> "entries?before=" + random.nextInt(settlements));
    queries.put("by id", () -> "entries?id=pay-" + random.nextInt(settlements));
    queries.put(
        "by participant", () -> "entries?participant=bank-" + (random.nextBoolean() ? "a" : "b"));
    queries.put("by participant, none match", () -> "entries?participant=bank-c");
    queries.put("by account", () -> "entries?account=a-" + random.nextInt(ACCOUNTS_PER_BANK));
    queries.put("by asset", () -> "entries?asset=EUR");
    queries.put("by asset, none match", () -> "entries?asset=BOND&minAmount=2");
    queries.put(
        "by amount range",
        () -> {
          long min = random.nextLong(1_000_000);
          return "entries?minAmount=" + min + "&maxAmount=" + (min + 1_000);
        });
    queries.put(
        "by time range (10 s)",
        () -> {
          long from = logTime(firstLogTime, random.nextInt(settlements));
          return "entries?from=" + from + "&to=" + (from + 10_000);
        });
    queries.put("by code (1 % refused)", () -> "entries?code=INSUFFICIENT_FUNDS");
    queries.put("by kind governance", () -> "entries?kind=governance");
    queries.put(
        "participant + asset + amount",
        () -> "entries?participant=bank-a&asset=EUR&minAmount=" + random.nextLong(1_000_000));
    queries.put("entries as CSV", () -> "entries?limit=100&format=csv");
    queries.put("trail", () -> "entries/pay-" + random.nextInt(settlements) + "/trail");
    queries.put("blocks", () -> "blocks?before=" + (2 + random.nextInt(settlements / 100)));
    queries.put("one block", () -> "blocks/" + (3 + random.nextInt(settlements / 100)));
    queries.put("governance", () -> "governance");
    queries.put("balance sheet", () -> "balance-sheet");
    queries.put("validators", () -> "validators");
    queries.put("series (300 s)", () -> "series?seconds=300");
    System.out.printf(Locale.ROOT, "%-30s %8s %8s %8s%n", "query", "p50 ms", "p95 ms", "max ms");
    for (Map.Entry<String, Supplier<String>> query : queries.entrySet()) {
      long[] times = new long[requests];
      for (int i = -10; i < requests; i++) {
        URI uri = base.resolve("/v1/audit/" + query.getValue().get());
        long start = System.nanoTime();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        if (asAuditor) {
          request.header("Authorization", "Bearer " + auditorToken());
        }
        HttpResponse<byte[]> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        long micros = (System.nanoTime() - start) / 1_000;
        if (response.statusCode() != 200 && response.statusCode() != 404) {
          throw new IllegalStateException(uri + " answered " + response.statusCode());
        }
        if (i >= 0) {
          times[i] = micros;
        }
      }
      Arrays.sort(times);
      System.out.printf(
          Locale.ROOT,
          "%-30s %8.1f %8.1f %8.1f%n",
          query.getKey(),
          times[requests / 2] / 1e3,
          times[(int) Math.ceil(requests * 0.95) - 1] / 1e3,
          times[requests - 1] / 1e3);
    }
  }

  static int intArgument(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
