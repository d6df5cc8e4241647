package io.tally.validator;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.engine.BlockResult;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.Rules;
import io.tally.engine.TestNetwork;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.block.Vote;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.Stream;
import io.tally.service.web.openapi.ProblemCatalog;
import io.tally.service.web.openapi.ProblemType;
import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import io.tally.testing.OpenApiDocuments;
import io.tally.testing.network.InProcess;
import io.tally.testing.network.NetworkPlan;
import io.tally.validator.voting.application.ValidatorStatus;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Four validators (q = 3) as four Spring applications on one real Kafka broker (KRaft, in process,
 * 127.0.0.1) with a real PostgreSQL database each. Signed records written to the log become blocks
 * that all four vote for with identical headers; the votes form certificates that verify against
 * the genesis; a validator restarted from its snapshot reproduces its votes.
 */
class ValidatorNetworkIT {

  static final Duration WAIT = Duration.ofSeconds(90);

  static LocalKafka kafka;
  static LocalPostgres postgres;
  static KafkaProducer<byte[], byte[]> producer;
  static final Map<Integer, ConfigurableApplicationContext> validators = new HashMap<>();
  static NetworkPlan plan;
  static final TestNetwork net = new TestNetwork();
  @TempDir static Path dir;

  @BeforeAll
  static void startNetwork() throws Exception {
    kafka = LocalKafka.start();
    postgres = LocalPostgres.start();
    // The validators create tally.log and tally.votes themselves (the reader refuses a log
    // without LogAppendTime, so this test would fail if the creation were wrong).
    plan =
        NetworkPlan.in(dir)
            .genesis(TestNetwork.GENESIS_BYTES, TestNetwork::key)
            .kafka(kafka.bootstrapServers())
            .databases(postgres::createDatabase)
            .verifierThreads(1)
            .build();
    producer = kafka.producer();
    for (int i = 1; i <= 4; i++) {
      start(i);
    }
  }

  @AfterAll
  static void stopNetwork() {
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

  /** Starts validator {@code i}, on its own database again when it was stopped. */
  static void start(int i) {
    validators.put(
        i,
        InProcess.start(
            ValidatorServiceApplication.builder(),
            plan.validator(i).with("tally.validator.snapshot-every-blocks", "2")));
  }

  /** Writes the records' values to the log; returns the offset of the last one. */
  static long write(List<LogRecord> records) throws Exception {
    long offset = -1;
    for (LogRecord record : records) {
      offset =
          producer.send(new ProducerRecord<>("tally.log", 0, null, record.value())).get().offset();
    }
    return offset;
  }

  /** Every vote on the votes topic, verified, by height then validator. */
  static Map<Long, Map<String, List<byte[]>>> votes() throws VerificationException {
    TreeMap<Long, Map<String, List<byte[]>>> byHeight = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll("tally.votes")) {
      byte[] vote = Envelope.open(record.value(), TestNetwork.GENESIS, Stream.votes(0)).body();
      Vote.Verified verified = Vote.parse(vote).verify(TestNetwork.GENESIS.validators());
      byHeight
          .computeIfAbsent(verified.header().height(), h -> new TreeMap<>())
          .computeIfAbsent(verified.validatorId(), v -> new ArrayList<>())
          .add(vote);
    }
    return byHeight;
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return kafka.readAll(topic);
  }

  /** Replays the whole log through a local engine, as any replica would. */
  static List<BlockResult> replayLog() {
    Engine engine = new Engine(TestNetwork.GENESIS, Rules.DEFAULT, 0);
    List<BlockResult> blocks = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll("tally.log")) {
      LogRecord logRecord = new LogRecord(record.offset(), record.timestamp(), record.value());
      engine.offer(engine.preVerify(logRecord)).ifPresent(blocks::add);
    }
    return blocks;
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        StringBuilder state = new StringBuilder();
        validators.forEach(
            (id, context) -> {
              ValidatorStatus status = context.getBean(ValidatorStatus.class);
              state.append(
                  String.format(
                      "%n validator-%d: running %s, height %d, lag %d, error %s, alarms %s",
                      id,
                      status.running(),
                      status.lastHeight(),
                      status.lag(),
                      status.lastError(),
                      status.alarms()));
            });
        throw new AssertionError(
            "timed out after "
                + WAIT
                + " waiting for "
                + what
                + "; log holds "
                + readAll("tally.log").size()
                + " records, votes "
                + readAll("tally.votes").size()
                + state
                + describeLog());
      }
      Thread.sleep(100);
    }
  }

  /**
   * Whether validators {@code ids} voted for every block of the replayed log up to {@code offset}.
   */
  static boolean voted(List<Integer> ids, long offset) {
    try {
      List<BlockResult> blocks = replayLog();
      if (blocks.isEmpty() || blocks.get(blocks.size() - 1).header().lastOffset() < offset) {
        return false;
      }
      Map<Long, Map<String, List<byte[]>>> votes = votes();
      for (BlockResult block : blocks) {
        Map<String, List<byte[]>> atHeight = votes.getOrDefault(block.header().height(), Map.of());
        for (int id : ids) {
          if (!atHeight.containsKey("validator-" + id)) {
            return false;
          }
        }
      }
      return true;
    } catch (VerificationException e) {
      throw new AssertionError(e);
    }
  }

  /** One line per log record: offset, producer, type, sequence (for failure messages). */
  static String describeLog() {
    StringBuilder lines = new StringBuilder();
    for (ConsumerRecord<byte[], byte[]> record : readAll("tally.log")) {
      try {
        Envelope envelope = Envelope.open(record.value(), TestNetwork.GENESIS, TestNetwork.LOG);
        lines.append(
            String.format(
                "%n %d %s %s epoch %d seq %d %s",
                record.offset(),
                envelope.producer(),
                envelope.type(),
                envelope.epoch(),
                envelope.seq(),
                new String(envelope.body(), java.nio.charset.StandardCharsets.UTF_8).length() < 40
                    ? new String(envelope.body(), java.nio.charset.StandardCharsets.UTF_8)
                    : ""));
      } catch (VerificationException e) {
        lines.append(String.format("%n %d unreadable: %s", record.offset(), e.getMessage()));
      }
    }
    return lines.toString();
  }

  /** A validator that is running (tests stop and start some). */
  static ConfigurableApplicationContext anyValidator() {
    return validators.values().stream()
        .filter(ConfigurableApplicationContext::isActive)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no validator is running"));
  }

  /** How to rewrite docs/openapi/validator-service.json (the failure message says it). */
  static final String OPENAPI_UPDATE =
      "mvn -B verify -pl validator-service -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dit.test='ValidatorNetworkIT#theServedOpenApiDocumentIsTheCommittedCopy'"
          + " -Dopenapi.update=true";

  @Test
  void theServedOpenApiDocumentIsTheCommittedCopy() {
    JsonNode document =
        OpenApiDocuments.checkCommittedCopy(
            URI.create("http://127.0.0.1:" + InProcess.port(anyValidator())),
            "validator-service",
            OPENAPI_UPDATE);
    assertThat(document.get("openapi").asString()).startsWith("3.1");
    assertThat(document.at("/info/title").asString()).isEqualTo("Tally validator-service");
    assertThat(document.at("/info/version").asString()).isNotEqualTo("unknown");
  }

  @Test
  void everyProblemTypeTheServiceCanAnswerAppearsInItsOpenApiDocument() {
    JsonNode document =
        OpenApiDocuments.served(URI.create("http://127.0.0.1:" + InProcess.port(anyValidator())));

    java.util.Set<String> catalogued = new java.util.TreeSet<>();
    for (ProblemType type : anyValidator().getBean(ProblemCatalog.class).types()) {
      catalogued.add(type.type());
    }
    assertThat(OpenApiDocuments.typesInCode("io.tally.validator"))
        .as("types the advices and filters write as constants are in the catalogue")
        .isSubsetOf(catalogued);
    assertThat(OpenApiDocuments.answeredTypes(document))
        .as("every catalogued type is answered by an operation or a shared response, and no other")
        .isEqualTo(catalogued);
  }

  @Test
  void aVoteTheBrokerCopiesIntoTheLogMovesNoChainAndSilencesNoCutter() throws Exception {
    List<Integer> up = List.copyOf(validators.keySet());
    net.now = System.currentTimeMillis();
    long before =
        write(
            List.of(
                net.instruction(
                    net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 1)),
                    TestNetwork.BANK_A)));
    await("votes before the copies", () -> voted(up, before));

    // Each validator's newest vote, copied by the broker into the log: a valid seal by a genesis
    // instance, sequence numbers far ahead of its cut markers' chain, the wrong stream.
    Map<String, byte[]> newestVotes = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll("tally.votes")) {
      newestVotes.put(
          Envelope.open(record.value(), TestNetwork.GENESIS, Stream.votes(0)).producer(),
          record.value());
    }
    List<Long> copies = new ArrayList<>();
    for (byte[] vote : newestVotes.values()) {
      copies.add(write(List.of(new LogRecord(0, 0, vote))));
    }
    net.now = System.currentTimeMillis();
    long after =
        write(
            List.of(
                net.instruction(
                    net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 1)),
                    TestNetwork.BANK_A)));
    await("votes after the copies", () -> voted(up, after));

    List<io.tally.engine.Outcome> outcomes = new ArrayList<>();
    List<BlockResult> blocks = replayLog();
    blocks.forEach(block -> outcomes.addAll(block.outcomes()));
    assertThat(outcomes)
        .filteredOn(o -> copies.contains(o.offset()))
        .extracting(io.tally.engine.Outcome::code)
        .hasSize(copies.size())
        .containsOnly(io.tally.engine.Code.STREAM_MISMATCH);
    assertThat(outcomes)
        .filteredOn(o -> o.offset() > before)
        .extracting(io.tally.engine.Outcome::code)
        .doesNotContain(io.tally.engine.Code.RECORD_REPLAYED);
    assertThat(blocks)
        .filteredOn(block -> block.header().lastOffset() > before)
        .allSatisfy(block -> assertThat(block.sequenceAnomalies()).isEmpty());
  }

  @Test
  void signedSettlementsBecomeCertifiedBlocksAndAValidatorRestartsFromItsSnapshot()
      throws Exception {
    // Instructions carry notAfter in log time, which is the broker's clock: build them now.
    net.now = System.currentTimeMillis();
    List<LogRecord> world = net.world();
    write(world);
    long written =
        write(
            List.of(
                net.instruction(
                    net.settle(
                        net.id(),
                        TestNetwork.leg("a-eur", "b-eur", "EUR", 400),
                        TestNetwork.leg("b-bond", "a-bond", "BOND", 4)),
                    TestNetwork.BANK_A,
                    TestNetwork.BANK_B)));
    await("votes of all four validators", () -> voted(List.of(1, 2, 3, 4), written));

    List<BlockResult> blocks = replayLog();
    assertThat(
            blocks.stream().flatMap(b -> b.outcomes().stream()).filter(o -> o.offset() <= written))
        .extracting(io.tally.engine.Outcome::code)
        .isSubsetOf(io.tally.engine.Code.ACCEPTED, io.tally.engine.Code.CUT_IGNORED)
        .contains(io.tally.engine.Code.ACCEPTED);
    Map<Long, Map<String, List<byte[]>>> votes = votes();
    BlockHeader previous = null;
    for (BlockResult block : blocks) {
      BlockHeader header = block.header();
      List<Vote> quorum = new ArrayList<>();
      for (List<byte[]> byValidator : requireNonNull(votes.get(header.height())).values()) {
        for (byte[] vote : byValidator) {
          // Every vote at this height signs exactly the header a local replay computes.
          assertThat(Vote.parse(vote).verify(TestNetwork.GENESIS.validators()).header())
              .isEqualTo(header);
        }
        quorum.add(Vote.parse(byValidator.get(0)));
      }
      QuorumCertificate certificate =
          QuorumCertificate.parse(QuorumCertificate.assemble(quorum.subList(0, 3)).toBytes());
      assertThat(certificate.verify(TestNetwork.GENESIS.validators(), header)).hasSize(3);
      if (previous != null) {
        assertThat(header.prev()).isEqualTo(previous.hash());
      }
      previous = header;
    }
    ValidatorStatus status = requireNonNull(validators.get(1)).getBean(ValidatorStatus.class);
    assertThat(status.lastHeight()).isEqualTo(requireNonNull(previous).height());
    assertThat(status.running()).isTrue();
    assertThat(status.equivocationSeen()).isFalse();
    assertThat(status.alarms()).isEmpty();

    // Hostile records: every validator refuses each with the same code, and the log moves on.
    net.now = System.currentTimeMillis();
    LogRecord forged =
        net.instruction(
            net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 3)), TestNetwork.BANK_C);
    LogRecord pay =
        net.instruction(
            net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 2)), TestNetwork.BANK_A);
    byte[] instruction = Envelope.open(pay.value(), TestNetwork.GENESIS, TestNetwork.LOG).body();
    LogRecord resubmitted =
        net.gatewayRecord(io.tally.protocol.envelope.EnvelopeType.INSTRUCTION, instruction);
    byte[] flipped = pay.value();
    flipped[flipped.length - 5] = (byte) (flipped[flipped.length - 5] == 'A' ? 'B' : 'A');
    LogRecord stranger =
        new LogRecord(
            0,
            0,
            Envelope.seal(
                    io.tally.protocol.envelope.EnvelopeType.INSTRUCTION,
                    io.tally.protocol.envelope.Stream.log(0),
                    "gateway-9",
                    1,
                    0,
                    io.tally.protocol.codec.Hash.ZERO,
                    instruction,
                    TestNetwork.key("gateway-9"))
                .toBytes());
    long hostile =
        write(
            List.of(
                new LogRecord(0, 0, flipped),
                stranger,
                forged,
                pay,
                new LogRecord(0, 0, pay.value()),
                resubmitted));
    await("votes after the hostile records", () -> voted(List.of(1, 2, 3, 4), hostile));
    List<io.tally.engine.Outcome> outcomes = new ArrayList<>();
    replayLog().forEach(block -> outcomes.addAll(block.outcomes()));
    List<io.tally.engine.Outcome> tail =
        outcomes.stream()
            .filter(o -> o.offset() > written && o.offset() <= hostile)
            .filter(o -> o.code() != io.tally.engine.Code.CUT_IGNORED)
            .toList();
    assertThat(tail)
        .extracting(io.tally.engine.Outcome::code)
        .containsSubsequence(
            io.tally.engine.Code.SIGNATURE_INVALID,
            io.tally.engine.Code.PRODUCER_UNKNOWN,
            io.tally.engine.Code.SIGNER_UNKNOWN,
            io.tally.engine.Code.ACCEPTED,
            io.tally.engine.Code.RECORD_REPLAYED,
            io.tally.engine.Code.ACCEPTED);
    // The same instruction in a new envelope is a resubmission: its original outcome, once.
    assertThat(tail.get(tail.size() - 1).isResubmission()).isTrue();
    // Identical votes from all four (checked for every height above) mean identical outcomes:
    // the results root in the header covers every outcome.
    for (BlockResult block : replayLog()) {
      for (List<byte[]> byValidator :
          requireNonNull(votes().get(block.header().height())).values()) {
        assertThat(Vote.parse(byValidator.get(0)).verify(TestNetwork.GENESIS.validators()).header())
            .isEqualTo(block.header());
      }
    }

    // Validator 4 stops; three validators are a quorum and keep voting.
    requireNonNull(validators.remove(4)).close();
    net.now = System.currentTimeMillis();
    long withoutFour =
        write(
            List.of(
                net.instruction(
                    net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 1)),
                    TestNetwork.BANK_A)));
    await("votes of validators 1 to 3", () -> voted(List.of(1, 2, 3), withoutFour));

    // Restarted, it resumes from its snapshot, catches up and votes exactly as before.
    start(4);
    await("validator 4 catching up", () -> voted(List.of(1, 2, 3, 4), withoutFour));
    for (Map<String, List<byte[]>> atHeight : votes().values()) {
      List<byte[]> fours = atHeight.getOrDefault("validator-4", List.of());
      for (byte[] vote : fours) {
        assertThat(vote).isEqualTo(fours.get(0));
      }
    }

    // Two stopped: blocks still close, but nothing gathers a quorum, and health says why.
    requireNonNull(validators.remove(3)).close();
    requireNonNull(validators.remove(4)).close();
    net.now = System.currentTimeMillis();
    long withTwo =
        write(
            List.of(
                net.instruction(
                    net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 5)),
                    TestNetwork.BANK_A)));
    ValidatorStatus first = requireNonNull(validators.get(1)).getBean(ValidatorStatus.class);
    await(
        "validator 1 to report that finalization stalled",
        () -> first.finalizationStalled() != null);
    assertThat(first.finalizationStalled()).contains("2 of the 3 votes");
    assertThat(first.running()).isTrue();

    // One restarted: finalization resumes by itself.
    start(3);
    await("a quorum again", () -> voted(List.of(1, 2, 3), withTwo));
    await("the stall to clear", () -> first.finalizationStalled() == null);
  }
}
