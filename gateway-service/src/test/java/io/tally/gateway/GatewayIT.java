package io.tally.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;

import io.tally.engine.Code;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.Rules;
import io.tally.engine.TestNetwork;
import io.tally.gateway.instructions.application.ChainGuard;
import io.tally.ledger.LedgerServiceApplication;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.FinalizedEvent;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.block.Vote;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.receipt.Receipt;
import io.tally.protocol.token.AccessToken;
import io.tally.service.CertifiedReplica;
import io.tally.service.web.openapi.ProblemCatalog;
import io.tally.service.web.openapi.ProblemType;
import io.tally.testing.HostileInput;
import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import io.tally.testing.OpenApiDocuments;
import io.tally.testing.RawHttp;
import io.tally.testing.network.InProcess;
import io.tally.testing.network.NetworkPlan;
import io.tally.validator.ValidatorServiceApplication;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway in front of 4 validators and a ledger, each a Spring application on one real Kafka
 * broker with real PostgreSQL databases: a signed settlement submitted over HTTP becomes final; bad
 * input gets its Problem Details, never a 5xx, and the network keeps settling.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayIT {

  static final Duration WAIT = Duration.ofSeconds(90);

  static LocalKafka kafka;
  static LocalPostgres postgres;
  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  static ConfigurableApplicationContext gateway;
  static String ledgerUrl = "";
  static String ledgerDatabase = "";
  static ConfigurableApplicationContext ledger;

  /** The id of the auditor's registration: a governance entry in the world. */
  static String auditorRegistration = "";

  static final TestNetwork net = new TestNetwork();
  static final HttpClient http = HttpClient.newHttpClient();
  static final JsonMapper json = JsonMapper.builder().build();
  @TempDir static Path dir;
  static NetworkPlan plan;

  @BeforeAll
  static void start() throws Exception {
    kafka = LocalKafka.start();
    postgres = LocalPostgres.start();
    plan =
        NetworkPlan.in(dir)
            .genesis(TestNetwork.GENESIS_BYTES, TestNetwork::key)
            .kafka(kafka.bootstrapServers())
            .databases(postgres::createDatabase)
            .verifierThreads(1)
            .build();
    for (int i = 1; i <= 4; i++) {
      services.add(InProcess.start(ValidatorServiceApplication.builder(), plan.validator(i)));
    }
    ledgerDatabase = plan.ledger("ledger-1").database();
    ledger = startLedger();
    // The world (participants, assets, accounts, funds) is written directly, in the test
    // network's own gateway-1 chain (epoch 1); the gateway below opens a later epoch.
    net.now = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      List<LogRecord> world = new ArrayList<>(net.world());
      // An auditor: a participant with the auditor role reads every account.
      long notAfter = net.notAfter();
      String registration = net.id();
      auditorRegistration = registration;
      world.add(
          net.governance(
              TestNetwork.json(
                  j -> {
                    j.member("id", registration)
                        .member("kind", "register-participant")
                        .member("notAfter", notAfter)
                        .member("participant", "auditor-1")
                        .member("name", "Auditor One");
                    j.name("roles").beginArray().value("auditor").endArray();
                    j.name("keys").beginArray();
                    AUDITOR.verificationKey().toJwk().writeTo(j);
                    j.endArray();
                  }),
              TestNetwork.ADMIN_1,
              TestNetwork.ADMIN_2));
      for (LogRecord record : world) {
        producer.send(new ProducerRecord<>("tally.log", 0, null, record.value())).get();
      }
    }
    ledgerUrl = "http://127.0.0.1:" + ledger.getEnvironment().getProperty("local.server.port");
    gateway = startGateway();
  }

  static ConfigurableApplicationContext startLedger() {
    ConfigurableApplicationContext started =
        InProcess.start(
            LedgerServiceApplication.builder(),
            plan.ledger("ledger-1")
                // The gateway calls from 127.0.0.1; a client on 127.0.0.2 stands for any other.
                .with("tally.ledger.read-api.clients", "127.0.0.1/32"));
    services.add(started);
    return started;
  }

  static ConfigurableApplicationContext startGateway() {
    ConfigurableApplicationContext started =
        InProcess.start(
            GatewayServiceApplication.builder(),
            plan.gateway("gateway-1", ledgerUrl)
                .with("tally.gateway.snapshot-dir", dir.resolve("gateway-snapshots").toString())
                .with("tally.gateway.snapshot-every-blocks", "1")
                .with("tally.gateway.webhooks.poll", "50ms")
                .with("tally.gateway.webhooks.backoff-min", "100ms")
                .with("tally.gateway.webhooks.backoff-max", "400ms"));
    services.add(started);
    return started;
  }

  @AfterAll
  static void stop() {
    services.forEach(ConfigurableApplicationContext::close);
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  static URI uri(String path) {
    return URI.create(
        "http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port") + path);
  }

  static HttpResponse<String> submit(byte[] body, String contentType) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri("/v1/instructions"))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> status(String id) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri("/v1/instructions/" + id)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Submits a settlement of {@code amount} from a-eur to b-eur under {@code id}, signed by bank-a.
   */
  static HttpResponse<String> submitSettlement(String id, long amount) throws Exception {
    return submit(
        signed(
            net.settle(id, TestNetwork.leg("a-eur", "b-eur", "EUR", amount)), TestNetwork.BANK_A),
        "application/json");
  }

  static HttpResponse<String> post(String path, byte[] body, String contentType) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static byte[] signed(byte[] payload, SigningKey... signers) {
    return GeneralJws.sign(JwsType.INSTRUCTION, payload, List.of(signers)).toBytes();
  }

  /** The receipt of {@code id}, once the ledger committed it (the gateway may be ahead). */
  static String receipt(String id) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri("/v1/instructions/" + id + "/receipt")).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return response.body();
      }
      assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no receipt for " + id + ": " + response.body());
      }
      Thread.sleep(100);
    }
  }

  static String problemType(HttpResponse<String> response) {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    return json.readTree(response.body()).get("type").asString();
  }

  /** Waits until the gateway reports {@code id} final and returns its code. */
  static String finalCode(String id) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    HttpResponse<String> response = status(id);
    while (response.statusCode() == 404) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + id + " to be final");
      }
      Thread.sleep(100);
      response = status(id);
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode status = json.readTree(response.body());
    assertThat(status.get("status").asString()).isEqualTo("FINAL");
    return status.get("code").asString();
  }

  static final SigningKey AUDITOR = TestNetwork.key("auditor-1");
  static final String AUDIENCE = AccessToken.gatewayAudience(TestNetwork.GENESIS.network());
  static final SecureRandom RANDOM = new SecureRandom();

  static String token(String participant, SigningKey key, String audience, long now) {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    return AccessToken.issue(participant, audience, now, Duration.ofMinutes(2), id, key);
  }

  static String token(String participant, SigningKey key) {
    return token(participant, key, AUDIENCE, System.currentTimeMillis() / 1000);
  }

  static HttpResponse<String> read(String path, @Nullable String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<String> accountIds(HttpResponse<String> page) {
    List<String> ids = new ArrayList<>();
    json.readTree(page.body()).get("accounts").forEach(a -> ids.add(a.get("id").asString()));
    return ids;
  }

  /** How to rewrite docs/openapi/gateway-service.json (the failure message says it). */
  static final String OPENAPI_UPDATE =
      "mvn -B verify -pl gateway-service -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dit.test='GatewayIT#theServedOpenApiDocumentIsTheCommittedCopy'"
          + " -Dopenapi.update=true";

  @Test
  @Order(0)
  void theServedOpenApiDocumentIsTheCommittedCopy() {
    JsonNode document =
        OpenApiDocuments.checkCommittedCopy(
            URI.create("http://127.0.0.1:" + InProcess.port(gateway)),
            "gateway-service",
            OPENAPI_UPDATE);
    assertThat(document.get("openapi").asString()).startsWith("3.1");
    assertThat(document.at("/info/title").asString()).isEqualTo("Tally gateway-service");
    JsonNode submit = document.at("/paths/~1v1~1instructions/post");
    assertThat(submit.at("/requestBody/content").has("application/jose+json")).isTrue();
    assertThat(submit.at("/requestBody/content").has("application/json")).isTrue();
    assertThat(document.at("/paths/~1v1~1accounts/get/security/0").has("bearer")).isTrue();
    assertThat(document.at("/paths/~1v1~1accounts/get/parameters").findValuesAsString("name"))
        .as("the caller is resolved from the token, not a parameter")
        .doesNotContain("caller");
  }

  @Test
  @Order(0)
  void everyProblemTypeTheGatewayCanAnswerAppearsInItsOpenApiDocument() {
    JsonNode document =
        OpenApiDocuments.served(URI.create("http://127.0.0.1:" + InProcess.port(gateway)));

    java.util.Set<String> catalogued = new java.util.TreeSet<>();
    for (ProblemType type : gateway.getBean(ProblemCatalog.class).types()) {
      catalogued.add(type.type());
    }
    assertThat(OpenApiDocuments.typesInCode("io.tally.gateway"))
        .as("types the advices and filters write as constants are in the catalogue")
        .isSubsetOf(catalogued);
    assertThat(OpenApiDocuments.answeredTypes(document))
        .as("every catalogued type is answered by an operation or a shared response, and no other")
        .isEqualTo(catalogued);
  }

  @Test
  @Order(2)
  void readsNeedTheCallersOwnFreshTokenAndAnAuditorSeesEveryAccount() throws Exception {
    assertThat(finalCode("i-13")).isEqualTo("ACCEPTED"); // the world and the auditor are final

    HttpResponse<String> anonymous = read("/v1/accounts", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(problemType(anonymous)).isEqualTo("urn:tally:problem:unauthenticated");

    String bankA = token("bank-a", TestNetwork.BANK_A);
    HttpResponse<String> own = read("/v1/accounts?limit=100", bankA);
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    assertThat(accountIds(own)).containsExactly("a-bond", "a-eur", "a-issue");
    HttpResponse<String> replayed = read("/v1/accounts", bankA);
    assertThat(replayed.statusCode()).isEqualTo(401);
    assertThat(replayed.body()).contains("used before");

    HttpResponse<String> balance = read("/v1/accounts/a-eur", token("bank-a", TestNetwork.BANK_A));
    assertThat(balance.statusCode()).isEqualTo(200);
    assertThat(json.readTree(balance.body()).get("owner").asString()).isEqualTo("bank-a");
    HttpResponse<String> others = read("/v1/accounts/b-eur", token("bank-a", TestNetwork.BANK_A));
    assertThat(others.statusCode()).isEqualTo(403);
    assertThat(problemType(others)).isEqualTo("urn:tally:problem:forbidden");
    HttpResponse<String> missing = read("/v1/accounts/nope", token("bank-a", TestNetwork.BANK_A));
    assertThat(missing.statusCode()).isEqualTo(404);
    HttpResponse<String> badLimit =
        read("/v1/accounts?limit=0", token("bank-a", TestNetwork.BANK_A));
    assertThat(badLimit.statusCode()).isEqualTo(400);

    long now = System.currentTimeMillis() / 1000;
    for (String refused :
        List.of(
            token("bank-a", TestNetwork.BANK_A, AUDIENCE, now - 600),
            token("bank-a", TestNetwork.BANK_A, AccessToken.gatewayAudience("other"), now),
            token("bank-a", TestNetwork.BANK_B, AUDIENCE, now),
            token("bank-c", TestNetwork.BANK_C, AUDIENCE, now),
            "not-a-token")) {
      HttpResponse<String> answer = read("/v1/accounts", refused);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
    }

    HttpResponse<String> all = read("/v1/accounts?limit=100", token("auditor-1", AUDITOR));
    assertThat(accountIds(all)).contains("a-eur", "b-eur", "b-bond");
    HttpResponse<String> othersForAuditor = read("/v1/accounts/b-eur", token("auditor-1", AUDITOR));
    assertThat(othersForAuditor.statusCode()).isEqualTo(200);

    // History comes from the ledger, once it committed the blocks.
    long deadline = System.nanoTime() + WAIT.toNanos();
    HttpResponse<String> history;
    do {
      history = read("/v1/accounts/a-eur/postings", token("bank-a", TestNetwork.BANK_A));
      Thread.sleep(100);
    } while (history.statusCode() == 503 && System.nanoTime() < deadline);
    assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
    assertThat(json.readTree(history.body()).get("postings").size()).isPositive();

    // Finality events: bank-b hears of a settlement that credits its account.
    assertThat(eventHeardBy("bank-b", TestNetwork.BANK_B, 7))
        .contains("\"code\":\"ACCEPTED\"", "b-eur");
  }

  /**
   * Opens {@code participant}'s finality events, submits a settlement of {@code amount} from a-eur
   * to b-eur signed by bank-a, and returns the data line of the event about it.
   */
  static String eventHeardBy(String participant, SigningKey key, long amount) throws Exception {
    HttpResponse<java.util.stream.Stream<String>> stream =
        http.send(
            HttpRequest.newBuilder(uri("/v1/events"))
                .header("Authorization", "Bearer " + token(participant, key))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    try (java.util.stream.Stream<String> lines = stream.body()) {
      net.now = System.currentTimeMillis();
      String id = net.id();
      assertThat(submitSettlement(id, amount).statusCode()).isEqualTo(202);
      return java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  lines
                      .filter(line -> line.startsWith("data:") && line.contains(id))
                      .findFirst()
                      .orElse(""))
          .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(6)
  void aFinalityEventThatDoesNotCertifyHaltsNoReplicaWhoeverSealedIt() throws Exception {
    CertifiedReplica replica = gateway.getBean(CertifiedReplica.class);
    long next = replica.certifiedHeight() + 1;
    // A header for the next height, "certified" by keys of no validator.
    BlockHeader forged =
        new BlockHeader(
            TestNetwork.GENESIS.hash(),
            0,
            next,
            Hash.ZERO,
            1,
            Hash.ZERO,
            Hash.ZERO,
            Hash.ZERO,
            0,
            0,
            0);
    QuorumCertificate bogus =
        QuorumCertificate.assemble(
            List.of(
                Vote.sign(forged, TestNetwork.key("mallory-1")),
                Vote.sign(forged, TestNetwork.key("mallory-2")),
                Vote.sign(forged, TestNetwork.key("mallory-3"))));
    byte[] event = FinalizedEvent.toBytes(forged, bogus);
    long refusedBefore = replica.hintsRefused();
    try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      // The gateway's own key (its role may not produce finality events), then a ledger's key.
      for (EnvelopeWriter writer :
          List.of(
              new EnvelopeWriter(
                  "gateway-1",
                  Stream.finalized(0),
                  System.currentTimeMillis(),
                  TestNetwork.GATEWAY),
              new EnvelopeWriter(
                  "ledger-2",
                  Stream.finalized(0),
                  System.currentTimeMillis(),
                  TestNetwork.key("ledger-2")))) {
        producer
            .send(
                new ProducerRecord<>(
                    "tally.finalized",
                    0,
                    null,
                    writer.next(EnvelopeType.FINALIZED, event).toBytes()))
            .get();
      }
    }
    awaitAtLeast("finality events refused", replica::hintsRefused, refusedBefore + 1);

    net.now = System.currentTimeMillis();
    String id = net.id();
    assertThat(submitSettlement(id, 1).statusCode()).isEqualTo(202);
    assertThat(finalCode(id)).isEqualTo("ACCEPTED");
    assertThat(replica.certifiedHeight()).isGreaterThanOrEqualTo(next);
    assertThat(replica.halted()).isNull();
    assertThat(replica.hintsRefused()).isGreaterThanOrEqualTo(refusedBefore + 2);
    assertThat(read("/v1/accounts/a-eur", token("bank-a", TestNetwork.BANK_A)).statusCode())
        .isEqualTo(200);
    HttpResponse<String> readiness = read("/actuator/health/readiness", null);
    assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
    assertThat(read("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(9) // last: it leaves this gateway out of service and restarts the ledger
  void aProcessWritingUnderTheGatewaysIdMakesItAlarmReopenAndKeepEveryPromise() throws Exception {
    ChainGuard guard = gateway.getBean(ChainGuard.class);
    // With the ledger stopped nothing is certified, so the gateway acknowledges instructions
    // before it can see the record below.
    ledger.close();
    services.remove(ledger);
    net.now = System.currentTimeMillis();
    String theirs = net.id();
    EnvelopeWriter other =
        new EnvelopeWriter(
            "gateway-1", Stream.log(0), guard.currentEpoch() + 1_000_000, TestNetwork.GATEWAY);
    try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      byte[] instruction =
          signed(
              net.settle(theirs, TestNetwork.leg("a-eur", "b-eur", "EUR", 1)), TestNetwork.BANK_A);
      producer
          .send(
              new ProducerRecord<>(
                  "tally.log",
                  0,
                  null,
                  other.next(EnvelopeType.INSTRUCTION, instruction).toBytes()))
          .get();
    }
    List<String> acknowledged = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = net.id();
      assertThat(submitSettlement(id, 1).statusCode()).isEqualTo(202);
      acknowledged.add(id);
    }

    ledger = startLedger();
    for (String id : acknowledged) {
      assertThat(finalCode(id)).as(id).isEqualTo("ACCEPTED");
    }
    assertThat(finalCode(theirs)).isEqualTo("ACCEPTED");
    assertThat(guard.foreignRecords()).isGreaterThanOrEqualTo(1);
    assertThat(guard.reopened()).isGreaterThanOrEqualTo(1);
    assertThat(guard.rewritten()).isGreaterThanOrEqualTo(acknowledged.size());
    assertThat(guard.contended()).contains("epoch " + other.epoch());

    // Each acknowledged instruction applied exactly once, as every replica computes the log.
    Engine engine = new Engine(TestNetwork.GENESIS, Rules.DEFAULT, 0);
    Map<String, Integer> applied = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : kafka.readAll("tally.log")) {
      engine
          .offer(
              engine.preVerify(new LogRecord(record.offset(), record.timestamp(), record.value())))
          .ifPresent(
              block ->
                  block.outcomes().stream()
                      .filter(o -> o.code() == Code.ACCEPTED && !o.isResubmission())
                      .forEach(o -> o.id().ifPresent(id -> applied.merge(id, 1, Integer::sum))));
    }
    for (String id : acknowledged) {
      assertThat(applied).as(id).containsEntry(id, 1);
    }

    // Two processes with one key do not fight: this one is not ready and takes nothing new.
    HttpResponse<String> readiness = read("/actuator/health/readiness", null);
    assertThat(readiness.statusCode()).isEqualTo(503);
    assertThat(readiness.body()).contains("another process writes as gateway-1");
    HttpResponse<String> refused = submitSettlement(net.id(), 1);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(problemType(refused)).isEqualTo("urn:tally:problem:producer-contended");
  }

  /** An open finality event stream: its lines, read on a thread of its own. */
  record EventStream(HttpResponse<java.io.InputStream> response, java.io.BufferedReader lines)
      implements AutoCloseable {

    static EventStream open(String participant, SigningKey key, @Nullable String lastEventId)
        throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri("/v1/events"))
              .header("Authorization", "Bearer " + token(participant, key));
      if (lastEventId != null) {
        request.header("Last-Event-ID", lastEventId);
      }
      HttpResponse<java.io.InputStream> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      return new EventStream(
          response,
          new java.io.BufferedReader(
              new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8)));
    }

    /** The next {@code finality} events' ids and data, until {@code count} came (bounded wait). */
    List<String[]> next(int count) throws Exception {
      return java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                List<String[]> events = new ArrayList<>();
                String id = "";
                try {
                  for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("id:")) {
                      id = line.substring(3).strip();
                    } else if (line.startsWith("data:")) {
                      events.add(new String[] {id, line.substring(5).strip()});
                      if (events.size() == count) {
                        return events;
                      }
                    }
                  }
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
                return events;
              })
          .get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() throws java.io.IOException {
      response.body().close();
    }
  }

  @Test
  @Order(5)
  void aReaderWhoseConnectionDroppedResumesAfterTheLastEventItGot() throws Exception {
    String first;
    String lastEventId;
    try (EventStream stream = EventStream.open("bank-b", TestNetwork.BANK_B, null)) {
      assertThat(stream.response().statusCode()).isEqualTo(200);
      net.now = System.currentTimeMillis();
      first = net.id();
      assertThat(submitSettlement(first, 3).statusCode()).isEqualTo(202);
      String[] event = stream.next(1).get(0);
      assertThat(event[1]).contains(first);
      lastEventId = event[0];
      assertThat(lastEventId).matches("[0-9]+:[0-9]+");
    } // the connection drops
    List<String> missed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      net.now = System.currentTimeMillis();
      String id = net.id();
      missed.add(id);
      assertThat(submitSettlement(id, 4).statusCode()).isEqualTo(202);
    }
    for (String id : missed) {
      assertThat(finalCode(id)).isEqualTo("ACCEPTED");
    }
    try (EventStream resumed = EventStream.open("bank-b", TestNetwork.BANK_B, lastEventId)) {
      assertThat(resumed.response().statusCode()).isEqualTo(200);
      List<String[]> events = resumed.next(3);
      assertThat(events).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(events.get(i)[1]).contains(missed.get(i)).doesNotContain(first);
      }
    }
    // A resume point that is no event id is refused, not ignored.
    HttpResponse<String> malformed =
        http.send(
            HttpRequest.newBuilder(uri("/v1/events"))
                .header("Authorization", "Bearer " + token("bank-b", TestNetwork.BANK_B))
                .header("Last-Event-ID", "yesterday")
                .header("Accept", "text/event-stream") // as a browser's EventSource sends
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(problemType(malformed)).isEqualTo("urn:tally:problem:malformed");
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(uri("/v1/events")).header("Accept", "text/event-stream").build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(problemType(anonymous)).isEqualTo("urn:tally:problem:unauthenticated");
  }

  @Test
  @Order(5)
  void aWebhookThatFailsTwiceGetsEachDeliveryOnceSignedAndInHeightOrder() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(2)) {
      HttpResponse<String> registered =
          http.send(
              HttpRequest.newBuilder(uri("/v1/webhooks"))
                  .header("Authorization", "Bearer " + token("bank-b", TestNetwork.BANK_B))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + receiver.url() + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
      String webhook = json.readTree(registered.body()).get("id").asString();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        net.now = System.currentTimeMillis();
        String id = net.id();
        ids.add(id);
        assertThat(submitSettlement(id, 5).statusCode()).isEqualTo(202);
        assertThat(finalCode(id)).isEqualTo("ACCEPTED"); // one block each, most likely
      }
      io.tally.protocol.keys.Jwks jwks =
          io.tally.protocol.keys.Jwks.read(
              read("/v1/webhooks/jwks", null).body().getBytes(StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<String> heard = new ArrayList<>();
      while (!heard.containsAll(ids)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not delivered: " + ids + ", got " + receiver.requests);
        }
        Thread.sleep(100);
        heard.clear();
        for (WebhookReceiver.Request request : receiver.accepted()) {
          JsonNode delivery =
              json.readTree(
                  CompactJws.parse(request.body()).verify(JwsType.WEBHOOK, jwks::find).payload());
          delivery.get("events").forEach(e -> heard.add(e.get("instructionId").asString()));
        }
      }
      // The first delivery failed twice and came a third time, under the same delivery id.
      List<WebhookReceiver.Request> requests = receiver.requests;
      assertThat(requests.subList(0, 3))
          .extracting(WebhookReceiver.Request::status)
          .containsExactly(500, 500, 204);
      assertThat(requests.subList(0, 3))
          .extracting(WebhookReceiver.Request::deliveryId)
          .containsOnly(requests.get(0).deliveryId());
      assertThat(requests).allMatch(r -> r.contentType().equals("application/jose"));
      // Each accepted delivery came once, and they came in height order, each event once.
      List<Long> heights = new ArrayList<>();
      for (WebhookReceiver.Request request : receiver.accepted()) {
        JsonNode delivery =
            json.readTree(
                CompactJws.parse(request.body()).verify(JwsType.WEBHOOK, jwks::find).payload());
        assertThat(delivery.get("webhook").asString()).isEqualTo(webhook);
        assertThat(delivery.get("participant").asString()).isEqualTo("bank-b");
        assertThat(request.deliveryId()).isEqualTo(webhook + ":" + delivery.get("height").asLong());
        heights.add(delivery.get("height").asLong());
      }
      assertThat(heights).isSorted().doesNotHaveDuplicates();
      assertThat(heard).doesNotHaveDuplicates();
      assertThat(heard.stream().filter(ids::contains).toList()).isEqualTo(ids);
      HttpResponse<String> failures =
          read("/v1/webhooks/" + webhook + "/failures", token("bank-b", TestNetwork.BANK_B));
      assertThat(failures.statusCode()).isEqualTo(200);
      assertThat(json.readTree(failures.body()).get("failures").size()).isZero();
      // Another participant neither sees nor removes it.
      assertThat(read("/v1/webhooks/" + webhook, token("bank-a", TestNetwork.BANK_A)).statusCode())
          .isEqualTo(404);
      HttpResponse<String> removed =
          http.send(
              HttpRequest.newBuilder(uri("/v1/webhooks/" + webhook))
                  .header("Authorization", "Bearer " + token("bank-b", TestNetwork.BANK_B))
                  .DELETE()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(removed.statusCode()).isEqualTo(204);
    }
  }

  @Test
  @Order(5)
  void theSignerHearsOfItsRejectedSettlementThatMovedNoAccount() throws Exception {
    assertThat(finalCode("i-13")).isEqualTo("ACCEPTED");
    assertThat(eventHeardBy("bank-a", TestNetwork.BANK_A, 1_000_000_000_000_000L))
        .contains("\"code\":\"INSUFFICIENT_FUNDS\"", "\"accounts\":[]");
  }

  @Test
  @Order(1)
  void aSignedSettlementBecomesFinalAndBadInputGetsProblemDetails() throws Exception {
    // The gateway checks signatures against the certified directory: wait for the world.
    assertThat(finalCode("i-12")).isEqualTo("ACCEPTED");

    net.now = System.currentTimeMillis();
    String id = net.id();
    HttpResponse<String> accepted =
        submit(
            signed(
                net.settle(id, TestNetwork.leg("a-eur", "b-eur", "EUR", 100)), TestNetwork.BANK_A),
            "application/jose+json");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.headers().firstValue("Location")).hasValue("/v1/instructions/" + id);
    assertThat(finalCode(id)).isEqualTo("ACCEPTED");

    // Its receipt verifies offline with the genesis alone; a changed byte breaks it.
    byte[] receipt = receipt(id).getBytes(StandardCharsets.UTF_8);
    Receipt.Verified verified = Receipt.parse(receipt).verify(TestNetwork.GENESIS);
    assertThat(verified.code()).isEqualTo("ACCEPTED");
    assertThat(verified.signers()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(verified.finality()).startsWith("Irrevocable");
    receipt[receipt.length / 2] ^= 1;
    assertThatThrownBy(() -> Receipt.parse(receipt).verify(TestNetwork.GENESIS))
        .isInstanceOf(VerificationException.class);

    // Bad input: each gets its documented status and type, never a 5xx.
    byte[] good =
        signed(
            net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 1)), TestNetwork.BANK_A);
    String text = new String(good, StandardCharsets.US_ASCII);
    int signature = text.indexOf("\"signature\":\"") + 13;
    char flipped = text.charAt(signature + 5) == 'A' ? 'B' : 'A';
    byte[] forged =
        (text.substring(0, signature + 5) + flipped + text.substring(signature + 6))
            .getBytes(StandardCharsets.US_ASCII);
    HttpResponse<String> badSignature = submit(forged, "application/json");
    assertThat(badSignature.statusCode()).isEqualTo(401);
    assertThat(problemType(badSignature)).isEqualTo("urn:tally:problem:signature-invalid");

    HttpResponse<String> unknownSigner =
        submit(
            signed(
                net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 1)),
                TestNetwork.BANK_C),
            "application/json");
    assertThat(unknownSigner.statusCode()).isEqualTo(401);
    assertThat(problemType(unknownSigner)).isEqualTo("urn:tally:problem:signer-unknown");

    HttpResponse<String> garbage =
        submit("{\"not\":\"a jws\"".getBytes(StandardCharsets.UTF_8), "application/json");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(problemType(garbage)).isEqualTo("urn:tally:problem:malformed");

    HttpResponse<String> negative =
        submit(
            signed(
                net.settle(net.id(), new TestNetwork.Leg("a-eur", "b-eur", "EUR", "-5")),
                TestNetwork.BANK_A),
            "application/json");
    assertThat(negative.statusCode()).isEqualTo(400);
    assertThat(problemType(negative)).isEqualTo("urn:tally:problem:amount-invalid");

    for (String amount : List.of("0", "-1", "9223372036854775808", "99999999999999999999", "1.5")) {
      HttpResponse<String> refused =
          submit(
              signed(
                  net.settle(net.id(), new TestNetwork.Leg("a-eur", "b-eur", "EUR", amount)),
                  TestNetwork.BANK_A),
              "application/json");
      assertThat(refused.statusCode()).as(amount).isEqualTo(400);
      assertThat(problemType(refused)).as(amount).isEqualTo("urn:tally:problem:amount-invalid");
    }

    TestNetwork.Leg[] seventeen = new TestNetwork.Leg[17];
    java.util.Arrays.fill(seventeen, TestNetwork.leg("a-eur", "b-eur", "EUR", 1));
    HttpResponse<String> tooManyLegs =
        submit(signed(net.settle(net.id(), seventeen), TestNetwork.BANK_A), "application/json");
    assertThat(tooManyLegs.statusCode()).isEqualTo(400);
    assertThat(problemType(tooManyLegs)).isEqualTo("urn:tally:problem:legs-too-many");

    long now = System.currentTimeMillis();
    HttpResponse<String> expired =
        submit(
            signed(
                TestNetwork.settle(
                    net.id(), now - 1_000, TestNetwork.leg("a-eur", "b-eur", "EUR", 1)),
                TestNetwork.BANK_A),
            "application/json");
    assertThat(expired.statusCode()).isEqualTo(400);
    assertThat(problemType(expired)).isEqualTo("urn:tally:problem:expired");
    HttpResponse<String> farFuture =
        submit(
            signed(
                TestNetwork.settle(
                    net.id(), now + 2 * 3_600_000L, TestNetwork.leg("a-eur", "b-eur", "EUR", 1)),
                TestNetwork.BANK_A),
            "application/json");
    assertThat(farFuture.statusCode()).isEqualTo(400);
    assertThat(problemType(farFuture)).isEqualTo("urn:tally:problem:not-after-too-far");

    // The same id again: with the same bytes it is accepted (idempotent), with others it is 409,
    // both while it is in flight and once a certified block holds it.
    String reused = net.id();
    byte[] first =
        signed(net.settle(reused, TestNetwork.leg("a-eur", "b-eur", "EUR", 4)), TestNetwork.BANK_A);
    byte[] other =
        signed(net.settle(reused, TestNetwork.leg("a-eur", "b-eur", "EUR", 5)), TestNetwork.BANK_A);
    assertThat(submit(first, "application/json").statusCode()).isEqualTo(202);
    HttpResponse<String> conflict = submit(other, "application/json");
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(problemType(conflict)).isEqualTo("urn:tally:problem:duplicate-conflict");
    assertThat(finalCode(reused)).isEqualTo("ACCEPTED");
    assertThat(submit(first, "application/json").statusCode()).isEqualTo(202);
    assertThat(submit(other, "application/json").statusCode()).isEqualTo(409);

    String badBase64 =
        "{\"payload\":\"not*base64\",\"signatures\":[{\"protected\":\"e30\",\"signature\":\"AA\"}]}";
    HttpResponse<String> notBase64 =
        submit(badBase64.getBytes(StandardCharsets.UTF_8), "application/json");
    assertThat(notBase64.statusCode()).isEqualTo(400);
    assertThat(problemType(notBase64)).isEqualTo("urn:tally:problem:malformed");

    // Random damage to a valid instruction, and random bodies: a 4xx or a 202, never a 5xx.
    java.util.Random random = new java.util.Random(42);
    byte[] valid =
        signed(
            net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 1)), TestNetwork.BANK_A);
    for (int i = 0; i < 60; i++) {
      byte[] damaged = valid.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
      }
      byte[] noise = new byte[random.nextInt(2_000)];
      random.nextBytes(noise);
      for (byte[] body : List.of(damaged, noise)) {
        HttpResponse<String> answer = submit(body, "application/json");
        assertThat(answer.statusCode()).as(answer.body()).isLessThan(500);
      }
    }

    HttpResponse<String> huge = submit(new byte[300 * 1024], "application/json");
    assertThat(huge.statusCode()).isEqualTo(413);
    assertThat(problemType(huge)).isEqualTo("urn:tally:problem:too-large");

    assertThat(submit(good, "text/plain").statusCode()).isEqualTo(415);
    HttpResponse<String> unknown = status("never-submitted");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(problemType(unknown)).isEqualTo("urn:tally:problem:unknown-instruction");

    // Prefer: wait=N answers with the final status when it comes in time.
    String waited = net.id();
    HttpResponse<String> finalNow =
        http.send(
            HttpRequest.newBuilder(uri("/v1/instructions"))
                .header("Content-Type", "application/jose+json")
                .header("Prefer", "wait=20")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        signed(
                            net.settle(waited, TestNetwork.leg("a-eur", "b-eur", "EUR", 3)),
                            TestNetwork.BANK_A)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(finalNow.statusCode()).as(finalNow.body()).isEqualTo(200);
    assertThat(finalNow.headers().firstValue("Preference-Applied")).hasValue("wait=20");
    JsonNode answered = json.readTree(finalNow.body());
    assertThat(answered.get("code").asString()).isEqualTo("ACCEPTED");
    // The answer carries the verified receipt (the ledger commits within the wait here).
    assertThat(
            Receipt.parse(answered.get("receipt").toString().getBytes(StandardCharsets.UTF_8))
                .verify(TestNetwork.GENESIS)
                .instructionId())
        .isEqualTo(waited);

    HttpResponse<String> document =
        http.send(
            HttpRequest.newBuilder(uri("/v3/api-docs")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.body()).contains("/v1/instructions", "/v1/instructions/{id}/receipt");

    // A batch: each item is checked as a single submission; the good ones are written.
    String batched1 = net.id();
    String batched2 = net.id();
    String batch =
        "{\"instructions\":["
            + new String(
                signed(
                    net.settle(batched1, TestNetwork.leg("a-eur", "b-eur", "EUR", 1)),
                    TestNetwork.BANK_A),
                StandardCharsets.UTF_8)
            + ","
            + new String(
                signed(
                    net.settle(net.id(), new TestNetwork.Leg("a-eur", "b-eur", "EUR", "0")),
                    TestNetwork.BANK_A),
                StandardCharsets.UTF_8)
            + ","
            + new String(other, StandardCharsets.UTF_8)
            + ","
            + new String(
                signed(
                    net.settle(batched2, TestNetwork.leg("a-eur", "b-eur", "EUR", 1)),
                    TestNetwork.BANK_A),
                StandardCharsets.UTF_8)
            + "]}";
    HttpResponse<String> batchAnswer =
        post("/v1/instructions/batch", batch.getBytes(StandardCharsets.UTF_8), "application/json");
    assertThat(batchAnswer.statusCode()).as(batchAnswer.body()).isEqualTo(200);
    JsonNode results = json.readTree(batchAnswer.body()).get("results");
    assertThat(results.get(0).get("status").asString()).isEqualTo("SUBMITTED");
    assertThat(results.get(1).get("type").asString()).isEqualTo("urn:tally:problem:amount-invalid");
    assertThat(results.get(1).get("httpStatus").asInt()).isEqualTo(400);
    assertThat(results.get(2).get("type").asString())
        .isEqualTo("urn:tally:problem:duplicate-conflict");
    assertThat(results.get(3).get("status").asString()).isEqualTo("SUBMITTED");
    assertThat(finalCode(batched1)).isEqualTo("ACCEPTED");
    assertThat(finalCode(batched2)).isEqualTo("ACCEPTED");

    StringBuilder tooMany = new StringBuilder("{\"instructions\":[");
    for (int i = 0; i < 101; i++) {
      tooMany.append(i == 0 ? "" : ",").append("{}");
    }
    HttpResponse<String> tooLargeBatch =
        post(
            "/v1/instructions/batch",
            tooMany.append("]}").toString().getBytes(StandardCharsets.UTF_8),
            "application/json");
    assertThat(tooLargeBatch.statusCode()).isEqualTo(413);
    assertThat(problemType(tooLargeBatch)).isEqualTo("urn:tally:problem:batch-too-large");
    for (String malformed : List.of("[1,2]", "{\"instructions\":3}", "{\"instructions\":[", "")) {
      HttpResponse<String> notABatch =
          post(
              "/v1/instructions/batch",
              malformed.getBytes(StandardCharsets.UTF_8),
              "application/json");
      assertThat(notABatch.statusCode()).as(malformed).isEqualTo(400);
      assertThat(problemType(notABatch)).isEqualTo("urn:tally:problem:malformed");
    }
    HttpResponse<String> itemsNotJws =
        post(
            "/v1/instructions/batch",
            "{\"instructions\":[{},\"x\",null]}".getBytes(StandardCharsets.UTF_8),
            "application/json");
    assertThat(itemsNotJws.statusCode()).as(itemsNotJws.body()).isEqualTo(200);
    assertThat(json.readTree(itemsNotJws.body()).get("rejected").asInt()).isEqualTo(3);

    // The network keeps settling afterwards.
    String after = net.id();
    assertThat(submitSettlement(after, 2).statusCode()).isEqualTo(202);
    assertThat(finalCode(after)).isEqualTo("ACCEPTED");
  }

  @Test
  @Order(3)
  void aRestartedGatewayResumesFromItsSnapshotAndStillKnowsWhatIsFinal() throws Exception {
    net.now = System.currentTimeMillis();
    String before = net.id();
    assertThat(submitSettlement(before, 1).statusCode()).isEqualTo(202);
    assertThat(finalCode(before)).isEqualTo("ACCEPTED");
    CertifiedReplica replica = gateway.getBean(CertifiedReplica.class);
    long height = replica.certifiedHeight();
    awaitAtLeast("the replica's snapshot height", replica::snapshotHeight, height);

    gateway.close();
    services.remove(gateway);
    gateway = startGateway();

    CertifiedReplica restarted = gateway.getBean(CertifiedReplica.class);
    // The replica restores on its own thread once the application is up.
    awaitAtLeast("the height the restarted replica restored", restarted::startedFromHeight, height);
    assertThat(finalCode(before)).isEqualTo("ACCEPTED");
    String after = net.id();
    assertThat(submitSettlement(after, 1).statusCode()).isEqualTo(202);
    assertThat(finalCode(after)).isEqualTo("ACCEPTED");
  }

  /** Waits until {@code value} reaches {@code target}; fails after {@link #WAIT}. */
  static void awaitAtLeast(String what, LongSupplier value, long target)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (value.getAsLong() < target) {
      assertThat(System.nanoTime()).as("%s did not reach %d", what, target).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  @Order(4)
  void aSubmissionWaitingForFinalityHoldsNoRequestThread() throws Exception {
    net.now = System.currentTimeMillis();
    MockMvc mvc = MockMvcBuilders.webAppContextSetup((WebApplicationContext) gateway).build();
    String id = net.id();

    MvcResult waiting =
        mvc.perform(
                MockMvcRequestBuilders.post("/v1/instructions")
                    .contentType("application/jose+json")
                    .header("Prefer", "wait=20, return=minimal")
                    .content(
                        signed(
                            net.settle(id, TestNetwork.leg("a-eur", "b-eur", "EUR", 1)),
                            TestNetwork.BANK_A)))
            .andExpect(request().asyncStarted())
            .andReturn();

    MvcResult answered =
        mvc.perform(asyncDispatch(waiting))
            .andExpect(MockMvcResultMatchers.status().isOk())
            .andExpect(jsonPath("$.id").value(id))
            .andExpect(jsonPath("$.code").value("ACCEPTED"))
            .andReturn();
    // return=minimal leaves the receipt out (not "receipt": null) and says it was applied.
    assertThat(json.readTree(answered.getResponse().getContentAsString()).has("receipt"))
        .as(answered.getResponse().getContentAsString())
        .isFalse();
    assertThat(answered.getResponse().getHeader("Preference-Applied"))
        .isEqualTo("wait=20, return=minimal");
  }

  /** 2^53 + 1: the smallest integer a JavaScript number cannot hold. */
  static final long TWO_TO_THE_53_PLUS_1 = 9_007_199_254_740_993L;

  @Test
  @Order(6)
  void balanceAboveTwoToThe53IsAnExactDecimalString() throws Exception {
    net.now = System.currentTimeMillis();
    // b-bond holds 100 BOND from the world; issue the rest up to 2^53 + 1.
    String issue = net.id();
    long amount = TWO_TO_THE_53_PLUS_1 - 100;
    HttpResponse<String> submitted =
        submit(
            signed(
                net.settle(issue, TestNetwork.leg("b-issue", "b-bond", "BOND", amount)),
                TestNetwork.BANK_B),
            "application/json");
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    assertThat(finalCode(issue)).isEqualTo("ACCEPTED");

    // The gateway's balances: decimal strings, every unit kept.
    HttpResponse<String> read = read("/v1/accounts/b-bond", token("bank-b", TestNetwork.BANK_B));
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(read.body()).contains("\"postedBalance\":\"9007199254740993\"");
    JsonNode account = json.readTree(read.body());
    for (String member : List.of("postedBalance", "available", "pendingDebits", "pendingCredits")) {
      assertThat(account.get(member).isString()).as(member + " in " + read.body()).isTrue();
    }
    assertThat(account.get("available").asString()).isEqualTo("9007199254740993");
    JsonNode page =
        json.readTree(read("/v1/accounts?limit=100", token("auditor-1", AUDITOR)).body());
    for (JsonNode each : page.get("accounts")) {
      if (each.get("id").asString().equals("b-issue")) {
        assertThat(each.get("postedBalance").asString()).isEqualTo("-9007199254740993");
      }
    }

    // The ledger's balances and postings (the gateway serves the same history).
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode ledgerAccount;
    do {
      Thread.sleep(100);
      ledgerAccount = ledgerGet("/v1/accounts/b-bond");
    } while (!ledgerAccount.path("postedBalance").toString().equals("\"9007199254740993\"")
        && System.nanoTime() < deadline);
    for (String member :
        List.of(
            "postedDebits",
            "postedCredits",
            "pendingDebits",
            "pendingCredits",
            "postedBalance",
            "available")) {
      assertThat(ledgerAccount.get(member).isString()).as(member + " " + ledgerAccount).isTrue();
    }
    assertThat(ledgerAccount.get("postedCredits").asString()).isEqualTo("9007199254740993");
    HttpResponse<String> history =
        read("/v1/accounts/b-bond/postings?limit=100", token("bank-b", TestNetwork.BANK_B));
    assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
    assertThat(history.body()).contains("\"amount\":\"" + amount + "\"");

    // The OpenAPI document says so.
    JsonNode schemas =
        json.readTree(
                http.send(
                        HttpRequest.newBuilder(uri("/v3/api-docs")).build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .get("components")
            .get("schemas");
    JsonNode balance = schemas.get("AccountResponse").get("properties").get("postedBalance");
    assertThat(balance.get("type").asString()).as(balance.toString()).isEqualTo("string");
  }

  static JsonNode ledgerGet(String path) throws Exception {
    return json.readTree(
        http.send(
                HttpRequest.newBuilder(URI.create(ledgerUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  @Test
  @Order(7)
  void aGovernanceEntrysReceiptIsServedAndVerifiesLikeAnyOther() throws Exception {
    assertThat(finalCode(auditorRegistration)).isEqualTo("ACCEPTED");

    byte[] receipt = receipt(auditorRegistration).getBytes(StandardCharsets.UTF_8);
    Receipt.Verified verified = Receipt.parse(receipt).verify(TestNetwork.GENESIS);
    assertThat(verified.instructionId()).isEqualTo(auditorRegistration);
    assertThat(verified.code()).isEqualTo("ACCEPTED");
  }

  @Test
  @Order(8)
  void aReceiptWhoseLedgerPartsDoNotCheckOutIsRefusedRatherThanRetriedForever() throws Exception {
    net.now = System.currentTimeMillis();
    String id = net.id();
    assertThat(submitSettlement(id, 1).statusCode()).isEqualTo(202);
    assertThat(finalCode(id)).isEqualTo("ACCEPTED");
    receipt(id); // the ledger committed it and its parts check out

    // The ledger's stored record changes (a bug, a bad disk, an operator): its proof no longer
    // leads to the certified root, and asking again will not change that.
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(ledgerDatabase);
        java.sql.PreparedStatement update =
            connection.prepareStatement(
                "UPDATE entry SET record = decode('00', 'hex') || record WHERE instruction_id = ?")) {
      update.setString(1, id);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(uri("/v1/instructions/" + id + "/receipt")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
    assertThat(problemType(answer)).isEqualTo("urn:tally:problem:receipt-invalid");
    assertThat(answer.headers().firstValue("Retry-After")).isEmpty();
  }

  static int gatewayPort() {
    return InProcess.port(gateway);
  }

  static int ledgerPort() {
    return Integer.parseInt(ledgerUrl.substring(ledgerUrl.lastIndexOf(':') + 1));
  }

  static void assertProblem(RawHttp.Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(json.readTree(answer.body()).get("type").asString())
        .isEqualTo("urn:tally:problem:" + code);
  }

  @Test
  @Order(6)
  void accountsPageWithInvalidUtf8CursorIsMalformedProblem() {
    // It used to be 503 log-unavailable: Tomcat's parameter error is an IllegalStateException.
    assertProblem(RawHttp.get(gatewayPort(), "/v1/accounts?after=%C3%28"), 400, "malformed");
    assertProblem(RawHttp.get(gatewayPort(), "/v1/accounts?limit=%FF"), 400, "malformed");
    assertProblem(
        RawHttp.get(gatewayPort(), "/v1/accounts/a-eur/postings?after=%C3%28"), 400, "malformed");
  }

  @Test
  @Order(6)
  void ledgerAccountsPageWithNulCursorIsMalformedProblem() {
    // It used to be 500: PostgreSQL refuses the NUL, with a stack trace in the log.
    assertProblem(RawHttp.get(ledgerPort(), "/v1/accounts?after=%00"), 400, "malformed");
    assertProblem(RawHttp.get(ledgerPort(), "/v1/accounts/a%01/postings"), 400, "malformed");
  }

  @Test
  @Order(6)
  void ledgerReadApiAnswersItsInternalClientsOnly() throws Exception {
    InetAddress outside = InetAddress.getByName("127.0.0.2");
    for (String path :
        List.of(
            "/v1/accounts",
            "/v1/accounts/a-eur",
            "/v1/blocks/head",
            "/v1;x/accounts", // path parameters and encoded letters route to the same controller
            "/%76%31/accounts",
            "/v1/accounts;x")) {
      RawHttp.Answer refused = RawHttp.send(outside, ledgerPort(), "GET", path, List.of(), null);
      assertProblem(refused, 403, "internal-only");
    }
    // A forwarded header is no address.
    assertProblem(
        RawHttp.send(
            outside,
            ledgerPort(),
            "GET",
            "/v1/accounts",
            List.of("X-Forwarded-For: 127.0.0.1", "Forwarded: for=127.0.0.1"),
            null),
        403,
        "internal-only");
    // Health stays open to probes, and the gateway (an internal client) still reads history.
    assertThat(
            RawHttp.send(outside, ledgerPort(), "GET", "/actuator/health", List.of(), null)
                .status())
        .isEqualTo(200);
    assertThat(RawHttp.get(ledgerPort(), "/v1/accounts").status()).isEqualTo(200);
    HttpResponse<String> history =
        read("/v1/accounts/a-eur/postings", token("bank-a", TestNetwork.BANK_A));
    assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
  }

  @Test
  @Order(6)
  void aTokenThatExpiresBeforeItIsIssuedOrIsIssuedInTheFutureIsUnauthenticated() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    for (long[] window : new long[][] {{now, now - 10}, {now + 120, now + 180}}) {
      byte[] claims =
          ("{\"iss\":\"bank-a\",\"sub\":\"bank-a\",\"aud\":\""
                  + AUDIENCE
                  + "\",\"iat\":"
                  + window[0]
                  + ",\"exp\":"
                  + window[1]
                  + ",\"jti\":\"t"
                  + window[0]
                  + "-"
                  + window[1]
                  + "\"}")
              .getBytes(StandardCharsets.UTF_8);
      String token = CompactJws.sign(JwsType.ACCESS_TOKEN, claims, TestNetwork.BANK_A).serialize();
      HttpResponse<String> refused = read("/v1/accounts", token);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
      assertThat(problemType(refused)).isEqualTo("urn:tally:problem:unauthenticated");
    }
  }

  @Test
  @Order(7)
  void hostileInputGetsProblemDetailsFromEveryServiceAndTheNetworkKeepsSettling() throws Exception {
    new HostileInput()
        // Each request authenticated as the auditor, so that its parameters are checked too.
        .withHeaders(() -> List.of("Authorization: Bearer " + token("auditor-1", AUDITOR)))
        .everyService("/actuator/health")
        .add(
            new HostileInput.Case(
                "DELETE an instruction",
                "DELETE",
                "/v1/instructions/x1",
                List.of(),
                null,
                405,
                "method-not-allowed"))
        .pathParameter("GET", "/v1/instructions/{}", null)
        .pathParameter("GET", "/v1/instructions/{}/receipt", null)
        .pathParameter("GET", "/v1/accounts/{}", null)
        .pathParameter("GET", "/v1/accounts/{}/postings", null)
        .pathParameter("GET", "/v1/webhooks/{}", null)
        .pathParameter("GET", "/v1/webhooks/{}/failures", null)
        .unsupportedMediaType("/v1/webhooks")
        .queryParameter("/v1/accounts", "after", false)
        .queryParameter("/v1/accounts", "limit", true)
        .queryParameter("/v1/accounts/a-eur/postings", "after", true)
        .queryParameter("/v1/accounts/a-eur/postings", "limit", true)
        // The audit API checks every parameter before the token: hostile values are 400 here.
        .pathParameter("GET", "/v1/audit/entries/{}/trail", null)
        .pathParameter("GET", "/v1/audit/blocks/{}", null)
        .queryParameter("/v1/audit/entries", "participant", false)
        .queryParameter("/v1/audit/entries", "minAmount", false)
        .queryParameter("/v1/audit/blocks", "before", false)
        .unsupportedMediaType("/v1/instructions")
        .unsupportedMediaType("/v1/instructions/batch")
        .unreadableBody("/v1/instructions/batch")
        .add(
            new HostileInput.Case(
                "an unknown instruction asked as XML",
                "GET",
                "/v1/instructions/x1",
                List.of("Accept: application/xml"),
                null,
                404,
                "unknown-instruction"))
        .add(
            new HostileInput.Case(
                "the error page asked for", "GET", "/error", List.of(), null, 404, "not-found"))
        .runAgainst(gatewayPort());
    new HostileInput()
        .everyService("/v1/blocks/head")
        .everyService("/actuator/health")
        .pathParameter("GET", "/v1/blocks/{}", null)
        .pathParameter("GET", "/v1/entries/{}", null)
        .pathParameter("GET", "/v1/accounts/{}", null)
        .pathParameter("GET", "/v1/accounts/{}/postings", null)
        .queryParameter("/v1/blocks", "from", true)
        .queryParameter("/v1/blocks", "limit", true)
        .queryParameter("/v1/accounts", "after", false)
        .queryParameter("/v1/accounts", "limit", true)
        .queryParameter("/v1/accounts/a-eur/postings", "after", true)
        .queryParameter("/v1/accounts/a-eur/postings", "limit", true)
        .pathParameter("GET", "/v1/audit/entries/{}/trail", null)
        .pathParameter("GET", "/v1/audit/blocks/{}", null)
        .queryParameter("/v1/audit/entries", "participant", false)
        .queryParameter("/v1/audit/entries", "minAmount", true)
        .queryParameter("/v1/audit/entries", "limit", true)
        .queryParameter("/v1/audit/blocks", "before", true)
        .queryParameter("/v1/audit/series", "seconds", true)
        .add(
            new HostileInput.Case(
                "POST to a read", "POST", "/v1/accounts", List.of(), "", 405, "method-not-allowed"))
        .add(
            new HostileInput.Case(
                "a block not committed, asked as XML",
                "GET",
                "/v1/blocks/999999",
                List.of("Accept: application/xml"),
                null,
                404,
                "not-found"))
        .runAgainst(ledgerPort());
    new HostileInput()
        .everyService("/actuator/health")
        .pathParameter("GET", "/actuator/health/{}", null)
        .queryParameter("/actuator/health", "x", false)
        // Actuator answers a name it does not know 404 and ignores a parameter it does not take.
        .except("over-long")
        .except("control character")
        .runAgainst(InProcess.port(services.get(0)));

    net.now = System.currentTimeMillis();
    String after = net.id();
    assertThat(submitSettlement(after, 1).statusCode()).isEqualTo(202);
    assertThat(finalCode(after)).isEqualTo("ACCEPTED");
  }
}
