package io.tally.ledger;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.engine.AccountView;
import io.tally.engine.BlockResult;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.Rules;
import io.tally.engine.TestNetwork;
import io.tally.ledger.blocks.application.LedgerStatus;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.block.Vote;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.merkle.MerkleTree;
import io.tally.service.web.openapi.ProblemCatalog;
import io.tally.service.web.openapi.ProblemType;
import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import io.tally.testing.OpenApiDocuments;
import io.tally.testing.network.InProcess;
import io.tally.testing.network.NetworkPlan;
import io.tally.validator.ValidatorServiceApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A ledger beside four validators (q = 3), each a Spring application, on one real Kafka broker
 * (KRaft, in process, 127.0.0.1) and a real PostgreSQL with a database each. The tests run in order
 * on one network; each leaves it settled for the next, and the last one halts the ledger.
 *
 * <p>Everything the ledger holds is checked against an independent replay of the whole log with the
 * engine: headers, the chain, every entry once, balances and the state digest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerNetworkIT {

  static final Duration WAIT = Duration.ofSeconds(90);

  static LocalKafka kafka;
  static LocalPostgres postgres;
  static KafkaProducer<byte[], byte[]> producer;
  static final Map<Integer, ConfigurableApplicationContext> validators = new HashMap<>();
  static NetworkPlan plan;
  static final Map<Integer, String> databases = new HashMap<>();
  static ConfigurableApplicationContext ledger;
  static String ledgerDatabase;
  static ConfigurableApplicationContext replica;
  static String replicaDatabase;
  static final TestNetwork net = new TestNetwork();
  static final HttpClient http = HttpClient.newHttpClient();
  static final JsonMapper json = JsonMapper.builder().build();
  @TempDir static Path dir;

  @BeforeAll
  static void startNetwork() throws Exception {
    kafka = LocalKafka.start();
    postgres = LocalPostgres.start();
    NetworkPlan.createTopics(kafka);
    plan =
        NetworkPlan.in(dir)
            .genesis(TestNetwork.GENESIS_BYTES, TestNetwork::key)
            .kafka(kafka.bootstrapServers())
            .databases(postgres::createDatabase)
            .verifierThreads(1)
            .build();
    for (int i = 1; i <= 4; i++) {
      databases.put(i, plan.validator(i).database());
    }
    ledgerDatabase = plan.ledger("ledger-1").database();
    replicaDatabase = plan.ledger("ledger-2").database();
    producer = kafka.producer();
    for (int i = 1; i <= 4; i++) {
      startValidator(i);
    }
    ledger = startLedger();
    replica = startReplica();
  }

  @AfterAll
  static void stopNetwork() {
    if (ledger != null) {
      ledger.close();
    }
    if (replica != null) {
      replica.close();
    }
    validators.values().forEach(ConfigurableApplicationContext::close);
    if (producer != null) {
      producer.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  static void startValidator(int i) {
    validators.put(
        i,
        InProcess.start(
            ValidatorServiceApplication.builder(),
            plan.validator(i).with("tally.validator.snapshot-every-blocks", "2")));
  }

  static ConfigurableApplicationContext startLedger() {
    return InProcess.start(
        LedgerServiceApplication.builder(),
        plan.ledger("ledger-1").with("tally.ledger.snapshot-every-blocks", "3"));
  }

  /** A second ledger replica with its own database and instance key. */
  static ConfigurableApplicationContext startReplica() {
    return InProcess.start(LedgerServiceApplication.builder(), plan.ledger("ledger-2"));
  }

  static LedgerStatus ledgerStatus() {
    return ledger.getBean(LedgerStatus.class);
  }

  // ------------------------------------------------------------------------------ the log

  /** Writes the records' values to {@code topic}; returns the offset of the last one. */
  static long write(String topic, List<byte[]> values) throws Exception {
    long offset = -1;
    for (byte[] value : values) {
      offset = producer.send(new ProducerRecord<>(topic, 0, null, value)).get().offset();
    }
    return offset;
  }

  static long writeLog(List<LogRecord> records) throws Exception {
    return write("tally.log", records.stream().map(LogRecord::value).toList());
  }

  static long settle(long amount) throws Exception {
    net.now = System.currentTimeMillis();
    return writeLog(
        List.of(
            net.instruction(
                net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", amount)),
                TestNetwork.BANK_A)));
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return kafka.readAll(topic);
  }

  /** The whole log through a fresh engine, as any replica computes it. */
  record Replay(Engine engine, List<BlockResult> blocks) {
    BlockResult last() {
      return blocks.get(blocks.size() - 1);
    }

    /** The first block whose records reach {@code offset}. */
    BlockResult covering(long offset) {
      return blocks.stream()
          .filter(b -> b.header().lastOffset() >= offset)
          .findFirst()
          .orElseThrow(() -> new AssertionError("no closed block covers offset " + offset));
    }
  }

  static Replay replay() {
    Engine engine = new Engine(TestNetwork.GENESIS, Rules.DEFAULT, 0);
    List<BlockResult> blocks = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll("tally.log")) {
      LogRecord logRecord = new LogRecord(record.offset(), record.timestamp(), record.value());
      engine.offer(engine.preVerify(logRecord)).ifPresent(blocks::add);
    }
    return new Replay(engine, blocks);
  }

  /** Whether a closed block covers {@code offset} and the ledger committed it. */
  static boolean committedThrough(long offset) {
    Replay replay = replay();
    return !replay.blocks().isEmpty()
        && replay.last().header().lastOffset() >= offset
        && ledgerStatus().committedHeight() >= replay.covering(offset).header().height();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        LedgerStatus status = ledgerStatus();
        throw new AssertionError(
            String.format(
                "timed out after %s waiting for %s; ledger running %s, committed %d, computed %d,"
                    + " lag %d, waiting %s, halted %s, error %s, alarms %s",
                WAIT,
                what,
                status.running(),
                status.committedHeight(),
                status.computedHeight(),
                status.lag(),
                status.waiting(),
                status.halted(),
                status.lastError(),
                status.alarms()));
      }
      Thread.sleep(100);
    }
  }

  // ------------------------------------------------------------------------------ the database

  static <T> T query(String database, String sql, SqlFunction<ResultSet, T> read) {
    try (Connection connection = DriverManager.getConnection(database);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      return read.apply(rows);
    } catch (SQLException e) {
      throw new AssertionError(sql, e);
    }
  }

  static void execute(String database, String sql) {
    try (Connection connection = DriverManager.getConnection(database);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError(sql, e);
    }
  }

  interface SqlFunction<A, B> {
    B apply(A a) throws SQLException;
  }

  static long count(String database, String sql) {
    return query(
        database,
        sql,
        rows -> {
          rows.next();
          return rows.getLong(1);
        });
  }

  /**
   * The ledger's whole content equals the replay up to its head: every committed header is the
   * replayed one with a certificate that verifies against the genesis, the chain links, each log
   * record appears once with its outcome, and balances and the state digest agree.
   */
  static void assertLedgerAgreesWithTheReplay() throws Exception {
    Replay replay = replay();
    long head = count(ledgerDatabase, "SELECT coalesce(max(height), 0) FROM block");
    assertThat(head).isPositive();
    assertThat(count(ledgerDatabase, "SELECT count(*) FROM block")).isEqualTo(head);
    @SuppressWarnings("ArrayRecordComponent") // compared by content below, never shared
    record Stored(long height, byte[] header, byte[] certificate) {}
    List<Stored> stored =
        query(
            ledgerDatabase,
            "SELECT height, header, certificate FROM block ORDER BY height",
            rows -> {
              List<Stored> list = new ArrayList<>();
              while (rows.next()) {
                list.add(new Stored(rows.getLong(1), rows.getBytes(2), rows.getBytes(3)));
              }
              return list;
            });
    Hash previous = Hash.ZERO;
    for (Stored block : stored) {
      BlockHeader header = replay.blocks().get((int) block.height() - 1).header();
      assertThat(block.header()).isEqualTo(header.toBytes());
      assertThat(header.prev()).isEqualTo(previous);
      assertThat(
              QuorumCertificate.parse(block.certificate())
                  .verify(TestNetwork.GENESIS.validators(), header))
          .hasSizeGreaterThanOrEqualTo(3);
      previous = header.hash();
    }
    BlockResult headBlock = replay.blocks().get((int) head - 1);
    long lastOffset = headBlock.header().lastOffset();
    // Every record of the log up to the head's last offset, once: no gap, no duplicate.
    assertThat(count(ledgerDatabase, "SELECT count(*) FROM entry")).isEqualTo(lastOffset + 1);
    assertThat(count(ledgerDatabase, "SELECT count(DISTINCT log_offset) FROM entry"))
        .isEqualTo(lastOffset + 1);
    assertThat(count(ledgerDatabase, "SELECT max(log_offset) FROM entry")).isEqualTo(lastOffset);
    // Balances as the replay has them after the head block (no later block may change them).
    Engine atHead = new Engine(TestNetwork.GENESIS, Rules.DEFAULT, 0);
    for (ConsumerRecord<byte[], byte[]> record : readAll("tally.log")) {
      if (record.offset() > lastOffset) {
        break;
      }
      atHead.offer(
          atHead.preVerify(new LogRecord(record.offset(), record.timestamp(), record.value())));
    }
    assertThat(atHead.height()).isEqualTo(head);
    String storedState =
        query(
            ledgerDatabase,
            "SELECT state_sha256 FROM block WHERE height = " + head,
            rows -> {
              rows.next();
              return rows.getString(1);
            });
    assertThat(storedState).isEqualTo(atHead.stateDigest().toHex());
    List<AccountView> storedAccounts =
        query(
            ledgerDatabase,
            "SELECT id, owner, asset, issuance, overdraft, posted_debits, posted_credits,"
                + " pending_debits, pending_credits FROM account ORDER BY id",
            rows -> {
              List<AccountView> list = new ArrayList<>();
              while (rows.next()) {
                list.add(
                    new AccountView(
                        rows.getString(1),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getBoolean(4),
                        rows.getBoolean(5),
                        rows.getLong(6),
                        rows.getLong(7),
                        rows.getLong(8),
                        rows.getLong(9)));
              }
              return list;
            });
    assertThat(storedAccounts).isEqualTo(atHead.accounts());
    // Per asset, the postings balance: every debit has its credit.
    assertThat(
            count(
                ledgerDatabase,
                "SELECT count(*) FROM (SELECT asset, sum(posted_debits) d, sum(posted_credits) c"
                    + " FROM account GROUP BY asset) s WHERE d <> c"))
        .isZero();
  }

  // ------------------------------------------------------------------------------ HTTP

  static HttpResponse<String> get(String path) throws Exception {
    String port = ledger.getEnvironment().getProperty("local.server.port");
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode getJson(String path, int status) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(status);
    return json.readTree(response.body());
  }

  // ------------------------------------------------------------------------------ votes

  /** A header at {@code height} that no honest replica computes. */
  static BlockHeader forgedHeader(long height, Hash prev) {
    Hash junk = Sha256.of(("forged " + height).getBytes(StandardCharsets.UTF_8));
    return new BlockHeader(
        TestNetwork.GENESIS.hash(),
        0,
        height,
        prev,
        1,
        junk,
        junk,
        junk,
        System.currentTimeMillis(),
        0,
        0);
  }

  /** Writes a vote for {@code header} signed with validator {@code i}'s keys, in a new epoch. */
  static void voteAs(int i, BlockHeader header) throws Exception {
    EnvelopeWriter writer =
        new EnvelopeWriter(
            "validator-" + i + "-instance",
            Stream.votes(0),
            System.nanoTime(),
            TestNetwork.key("validator-" + i + "-instance"));
    Vote vote = Vote.sign(header, TestNetwork.key("validator-" + i));
    write("tally.votes", List.of(writer.next(EnvelopeType.VOTE, vote.toBytes()).toBytes()));
  }

  /** Waits until the ledger committed everything the log holds, and returns the head. */
  static BlockHeader quiet() throws Exception {
    long end = settle(1);
    await("the ledger to commit offset " + end, () -> committedThrough(end));
    Thread.sleep(300); // trailing cuts of the last height land in the log
    return replay().last().header();
  }

  // ------------------------------------------------------------------------------ the tests

  /** How to rewrite docs/openapi/ledger-service.json (the failure message says it). */
  static final String OPENAPI_UPDATE =
      "mvn -B verify -pl ledger-service -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dit.test='LedgerNetworkIT#theServedOpenApiDocumentIsTheCommittedCopy'"
          + " -Dopenapi.update=true";

  @Test
  @Order(0)
  void theServedOpenApiDocumentIsTheCommittedCopy() {
    JsonNode document =
        OpenApiDocuments.checkCommittedCopy(
            URI.create("http://127.0.0.1:" + InProcess.port(ledger)),
            "ledger-service",
            OPENAPI_UPDATE);
    assertThat(document.get("openapi").asString()).startsWith("3.1");
    assertThat(document.at("/info/title").asString()).isEqualTo("Tally ledger-service");
    assertThat(document.at("/info/version").asString()).isNotEqualTo("unknown");
  }

  @Test
  @Order(0)
  void everyProblemTypeTheServiceCanAnswerAppearsInItsOpenApiDocument() {
    JsonNode document =
        OpenApiDocuments.served(URI.create("http://127.0.0.1:" + InProcess.port(ledger)));

    java.util.Set<String> catalogued = new java.util.TreeSet<>();
    for (ProblemType type : ledger.getBean(ProblemCatalog.class).types()) {
      catalogued.add(type.type());
    }
    assertThat(OpenApiDocuments.typesInCode("io.tally.ledger"))
        .as("types the advices and filters write as constants are in the catalogue")
        .isSubsetOf(catalogued);
    assertThat(OpenApiDocuments.answeredTypes(document))
        .as("every catalogued type is answered by an operation or a shared response, and no other")
        .isEqualTo(catalogued);
  }

  @Test
  @Order(1)
  void signedSettlementsBecomeCertifiedBlocksInTheLedgerWithBalancesOfTheEngine() throws Exception {
    net.now = System.currentTimeMillis();
    writeLog(net.world());
    String dvp = net.id();
    long written =
        writeLog(
            List.of(
                net.instruction(
                    net.settle(
                        dvp,
                        TestNetwork.leg("a-eur", "b-eur", "EUR", 400),
                        TestNetwork.leg("b-bond", "a-bond", "BOND", 4)),
                    TestNetwork.BANK_A,
                    TestNetwork.BANK_B)));
    await("the ledger to commit the settlement", () -> committedThrough(written));
    assertLedgerAgreesWithTheReplay();

    // The entry, with proofs that tie its record and outcome to the certified header.
    JsonNode entry = getJson("/v1/entries/" + dvp, 200).get("entries").get(0);
    assertThat(entry.get("code").asString()).isEqualTo("ACCEPTED");
    BlockHeader header =
        BlockHeader.fromBytes(Base64Url.decode(entry.get("block").get("header").asString()));
    assertThat(
            QuorumCertificate.parse(
                    entry
                        .get("block")
                        .get("certificate")
                        .toString()
                        .getBytes(StandardCharsets.UTF_8))
                .verify(TestNetwork.GENESIS.validators(), header))
        .hasSize(3);
    long index = entry.get("proof").get("index").asLong();
    long size = entry.get("proof").get("treeSize").asLong();
    MerkleTree.verifyInclusion(
        index,
        size,
        MerkleTree.leafHash(Base64Url.decode(entry.get("record").asString())),
        hashes(entry.get("proof").get("entries")),
        header.entries());
    MerkleTree.verifyInclusion(
        index,
        size,
        MerkleTree.leafHash(entry.get("outcome").toString().getBytes(StandardCharsets.UTF_8)),
        hashes(entry.get("proof").get("results")),
        header.results());

    JsonNode account = getJson("/v1/accounts/b-eur", 200);
    // Amounts are decimal strings (ADR 0015): exact in any JSON reader, JavaScript included.
    assertThat(account.get("postedBalance").isString()).as(account.toString()).isTrue();
    assertThat(account.get("postedBalance").asString()).isEqualTo("400");
    JsonNode history = getJson("/v1/accounts/b-eur/postings?limit=10", 200).get("postings");
    assertThat(history.get(0).get("instructionId").asString()).isEqualTo(dvp);
    assertThat(history.get(0).get("amount").isString()).as(history.toString()).isTrue();
    assertThat(getJson("/v1/blocks/1", 200).get("height").asLong()).isEqualTo(1);
    // The world and the settlement may share block 1 or not: blocks 1..h are committed.
    assertThat(getJson("/v1/blocks?from=1&limit=2", 200).get("blocks").size())
        .isEqualTo((int) Math.min(2, header.height()));

    // Errors are Problem Details with a stable type.
    HttpResponse<String> missing = get("/v1/blocks/999999");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json.readTree(missing.body()).get("type").asString())
        .isEqualTo("urn:tally:problem:not-found");
    assertThat(json.readTree(get("/v1/blocks?limit=1000").body()).get("type").asString())
        .isEqualTo("urn:tally:problem:malformed");
    assertThat(get("/v1/blocks/not-a-number").statusCode()).isEqualTo(400);
    assertThat(get("/v1/entries/%20bad").statusCode()).isEqualTo(400);

    HttpResponse<String> metrics = get("/actuator/prometheus");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("tally_ledger_blocks_total", "tally_ledger_append_to_commit");

    // Every committed block was published to tally.finalized, signed by the ledger instance
    // (the replica publishes its own events, under its own instance key).
    await(
        "finality events of ledger-1 for every block",
        () -> finalityEventsBy("ledger-1") >= ledgerStatus().committedHeight());
    for (ConsumerRecord<byte[], byte[]> event : readAll("tally.finalized")) {
      Envelope envelope = Envelope.open(event.value(), TestNetwork.GENESIS, Stream.finalized(0));
      assertThat(envelope.type()).isEqualTo(EnvelopeType.FINALIZED);
      assertThat(envelope.producer()).isIn("ledger-1", "ledger-2");
    }

    // What auditors read (migration V2), written in each block's transaction: every committed
    // block holds the votes of at least q distinct validators, its certificate's signers among
    // them; every entry has its envelope type; the per-block outcome counts add up to the block.
    long head = ledgerStatus().committedHeight();
    assertThat(
            count(
                ledgerDatabase,
                "SELECT count(*) FROM block b WHERE (SELECT count(DISTINCT validator) FROM vote v"
                    + " WHERE v.height = b.height) < "
                    + TestNetwork.GENESIS.validators().threshold()))
        .isZero();
    assertThat(
            count(
                ledgerDatabase,
                "SELECT count(*) FROM block b, unnest(string_to_array(b.signers, ',')) s"
                    + " WHERE NOT EXISTS (SELECT 1 FROM vote v WHERE v.height = b.height"
                    + " AND v.validator = s)"))
        .isZero();
    // Only a record the network refused as unreadable has no type.
    assertThat(
            count(
                ledgerDatabase,
                "SELECT count(*) FROM entry WHERE kind IS NULL AND code = 'ACCEPTED'"))
        .isZero();
    assertThat(count(ledgerDatabase, "SELECT count(*) FROM entry WHERE kind = 'governance'"))
        .isPositive();
    assertThat(
            count(
                ledgerDatabase,
                "SELECT count(*) FROM block b WHERE b.entry_count <> (SELECT sum(count) FROM"
                    + " block_outcome o WHERE o.height = b.height)"))
        .isZero();
    assertThat(count(ledgerDatabase, "SELECT count(DISTINCT height) FROM vote"))
        .isGreaterThanOrEqualTo(head);
  }

  static long finalityEventsBy(String producer) {
    return readAll("tally.finalized").stream()
        .filter(
            event -> {
              try {
                return Envelope.open(event.value(), TestNetwork.GENESIS, Stream.finalized(0))
                    .producer()
                    .equals(producer);
              } catch (io.tally.protocol.VerificationException e) {
                throw new AssertionError(e);
              }
            })
        .count();
  }

  static List<Hash> hashes(JsonNode array) {
    List<Hash> list = new ArrayList<>();
    array.forEach(node -> list.add(Hash.ofHex(node.asString())));
    return list;
  }

  @Test
  @Order(2)
  void aValidatorSigningAWrongHeaderIsOutvotedAndItsEquivocationIsKept() throws Exception {
    BlockHeader head = quiet();
    BlockHeader forged = forgedHeader(head.height() + 1, head.hash());
    voteAs(4, forged); // before validator 4's honest vote for the same height
    long offset = settle(2);
    await("the next block to be committed", () -> committedThrough(offset));
    byte[] committed =
        query(
            ledgerDatabase,
            "SELECT header FROM block WHERE height = " + forged.height(),
            rows -> {
              rows.next();
              return rows.getBytes(1);
            });
    assertThat(committed).isNotEqualTo(forged.toBytes());
    assertThat(committed).isEqualTo(replay().covering(offset).header().toBytes());
    await(
        "the ledger to keep the equivocation evidence",
        () ->
            count(
                    ledgerDatabase,
                    "SELECT count(*) FROM evidence WHERE kind = 'EQUIVOCATION'"
                        + " AND validator = 'validator-4' AND height = "
                        + forged.height())
                == 1);
    await(
        "validator 1 to keep the equivocation evidence",
        () ->
            count(
                    requireNonNull(databases.get(1)),
                    "SELECT count(*) FROM equivocation_evidence WHERE validator_id = 'validator-4'"
                        + " AND height = "
                        + forged.height())
                == 1);
    assertThat(
            count(
                ledgerDatabase,
                "SELECT count(*) FROM block WHERE header_sha256 = '" + forged.hash().toHex() + "'"))
        .isZero();
    assertLedgerAgreesWithTheReplay();
  }

  @Test
  @Order(3)
  void aLedgerStoppedBetweenBlocksCatchesUpWithoutGapOrDuplicate() throws Exception {
    quiet();
    ledger.close();
    long last = 0;
    for (int i = 0; i < 3; i++) {
      last = settle(3);
    }
    ledger = startLedger();
    long written = last;
    await("the restarted ledger to catch up", () -> committedThrough(written));
    assertLedgerAgreesWithTheReplay();
  }

  @Test
  @Order(4)
  void aCommitFailingHalfwayLeavesNothingAndIsRetried() throws Exception {
    quiet();
    // The outbox row is the commit's last statement: the block, entries, postings, balances and
    // progress are written in the same transaction when it fails, once.
    execute(
        ledgerDatabase,
        "CREATE SEQUENCE fault_attempts;"
            + " CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " IF nextval('fault_attempts') = 1 THEN RAISE EXCEPTION 'injected fault'; END IF;"
            + " RETURN NEW; END $$;"
            + " CREATE TRIGGER fail_once BEFORE INSERT ON outbox"
            + " FOR EACH ROW EXECUTE FUNCTION fail_once();");
    long offset = settle(4);
    await("the ledger to commit after the failed attempt", () -> committedThrough(offset));
    assertThat(count(ledgerDatabase, "SELECT last_value FROM fault_attempts")).isGreaterThan(1);
    execute(ledgerDatabase, "DROP TRIGGER fail_once ON outbox");
    assertLedgerAgreesWithTheReplay();
  }

  @Test
  @Order(5)
  void finalizationGoesOnWithOneValidatorDownStallsWithTwoAndResumesWhenOneReturns()
      throws Exception {
    quiet();
    requireNonNull(validators.remove(4)).close();
    long withoutFour = settle(5);
    await("a commit with validator 4 down", () -> committedThrough(withoutFour));

    requireNonNull(validators.remove(3)).close();
    long committedBefore = ledgerStatus().committedHeight();
    long withTwo = settle(6);
    await(
        "the ledger to say why it waits",
        () -> {
          String waiting = ledgerStatus().waiting();
          return waiting != null && waiting.contains("has 2 of the 3 votes");
        });
    JsonNode health = getJson("/actuator/health", 200);
    assertThat(health.get("components").get("ledger").get("details").get("waiting").asString())
        .contains("2 of the 3 votes");
    assertThat(ledgerStatus().committedHeight()).isEqualTo(committedBefore);

    startValidator(3);
    await("finalization to resume", () -> committedThrough(withTwo));
    startValidator(4);
    assertLedgerAgreesWithTheReplay();

    // A second replica, running all along with its own database, holds the same chain.
    long head = ledgerStatus().committedHeight();
    await(
        "the replica to reach height " + head,
        () -> replica.getBean(LedgerStatus.class).committedHeight() >= head);
    String headers =
        "SELECT string_agg(header_sha256, ',' ORDER BY height) FROM block WHERE height <= ";
    SqlFunction<ResultSet, String> first =
        rows -> {
          rows.next();
          return rows.getString(1);
        };
    assertThat(query(replicaDatabase, headers + head, first))
        .isEqualTo(query(ledgerDatabase, headers + head, first));
  }

  @Test
  @Order(6)
  void aQuorumCertifyingAnotherHeaderThanTheComputedOneHaltsTheLedger() throws Exception {
    BlockHeader head = quiet();
    BlockHeader forged = forgedHeader(head.height() + 1, head.hash());
    for (int i = 1; i <= 3; i++) {
      voteAs(i, forged); // more than f validators collude
    }
    settle(7);
    await("the ledger to halt", () -> ledgerStatus().halted() != null);
    assertThat(ledgerStatus().halted()).contains("height " + forged.height());
    HttpResponse<String> health = get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(
            json.readTree(health.body()).get("components").get("ledger").get("status").asString())
        .isEqualTo("DOWN");
    assertThat(
            count(
                ledgerDatabase,
                "SELECT count(*) FROM evidence WHERE kind = 'CERTIFIED_MISMATCH' AND height = "
                    + forged.height()))
        .isEqualTo(1);
    // It applied neither header at that height.
    assertThat(count(ledgerDatabase, "SELECT max(height) FROM block")).isEqualTo(head.height());
    Thread.sleep(500);
    assertThat(count(ledgerDatabase, "SELECT max(height) FROM block")).isEqualTo(head.height());
  }
}
