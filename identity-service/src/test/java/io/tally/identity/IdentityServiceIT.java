package io.tally.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.engine.BlockResult;
import io.tally.engine.Code;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.Outcome;
import io.tally.engine.Rules;
import io.tally.engine.TestNetwork;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import io.tally.service.web.openapi.ProblemCatalog;
import io.tally.service.web.openapi.ProblemType;
import io.tally.testing.HostileInput;
import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import io.tally.testing.OpenApiDocuments;
import io.tally.testing.RawHttp;
import io.tally.testing.network.InProcess;
import io.tally.testing.network.NetworkPlan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * identity-service as a Spring application on a real Kafka broker (KRaft, in process, 127.0.0.1)
 * and a real PostgreSQL. What reaches the log is checked with the engine the validators run.
 */
class IdentityServiceIT {

  static LocalKafka kafka;
  static LocalPostgres postgres;
  static ConfigurableApplicationContext identity;
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
            .build();
    identity = startIdentity();
  }

  @AfterAll
  static void stop() {
    if (identity != null) {
      identity.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  static ConfigurableApplicationContext startIdentity() {
    return InProcess.start(IdentityServiceApplication.builder(), plan.identity("identity-1"));
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    String port = identity.getEnvironment().getProperty("local.server.port");
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) throws Exception {
    String port = identity.getEnvironment().getProperty("local.server.port");
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String problemType(HttpResponse<String> response) {
    return json.readTree(response.body()).get("type").asString();
  }

  static String proposal(byte[] payload, SigningKey... proofs) {
    StringBuilder body = new StringBuilder("{\"payload\":\"" + Base64Url.encode(payload) + "\"");
    body.append(",\"proofs\":[");
    for (int i = 0; i < proofs.length; i++) {
      body.append(i == 0 ? "" : ",").append('"').append(sign(payload, proofs[i])).append('"');
    }
    return body.append("]}").toString();
  }

  static String sign(byte[] payload, SigningKey key) {
    return CompactJws.sign(JwsType.GOVERNANCE, payload, key).serialize();
  }

  static HttpResponse<String> approve(String id, String jws) throws Exception {
    return post("/v1/proposals/" + id + "/approvals", "{\"approval\":\"" + jws + "\"}");
  }

  /** Governance records identity-1 wrote to the log. */
  static List<ConsumerRecord<byte[], byte[]>> governanceRecords() throws Exception {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : kafka.readAll("tally.log")) {
      Envelope envelope = Envelope.open(record.value(), TestNetwork.GENESIS, TestNetwork.LOG);
      if (envelope.type() == EnvelopeType.GOVERNANCE) {
        records.add(record);
      }
    }
    return records;
  }

  @Test
  void theApiIsDescribedByAnOpenApiDocumentAndTheNetworkByItsGenesis() throws Exception {
    HttpResponse<String> document = get("/v3/api-docs");
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.body())
        .contains("/v1/proposals", "/v1/proposals/{id}/approvals", "/v1/participants/{id}/jwks");
    assertThat(get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
    assertThat(get("/v1/network/genesis").body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(TestNetwork.GENESIS_BYTES);
    assertThat(get("/v1/network/validators/jwks").body())
        .contains(TestNetwork.key("validator-1").keyId());
    HttpResponse<String> unknown = get("/v1/participants/nobody");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(problemType(unknown)).isEqualTo("urn:tally:problem:unknown-participant");
  }

  /** How to rewrite docs/openapi/identity-service.json (the failure message says it). */
  static final String OPENAPI_UPDATE =
      "mvn -B verify -pl identity-service -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dit.test='IdentityServiceIT#theServedOpenApiDocumentIsTheCommittedCopy'"
          + " -Dopenapi.update=true";

  @Test
  void theServedOpenApiDocumentIsTheCommittedCopy() {
    JsonNode document =
        OpenApiDocuments.checkCommittedCopy(
            URI.create("http://127.0.0.1:" + InProcess.port(identity)),
            "identity-service",
            OPENAPI_UPDATE);
    assertThat(document.get("openapi").asString()).startsWith("3.1");
    assertThat(document.at("/info/title").asString()).isEqualTo("Tally identity-service");
    assertThat(document.at("/info/version").asString()).isNotEqualTo("unknown");
    JsonNode proposalBody =
        document.at("/paths/~1v1~1proposals/post/requestBody/content/application~1json");
    assertThat(proposalBody.has("schema") && proposalBody.has("examples"))
        .as("the proposal's body with its schema and example: %s", proposalBody)
        .isTrue();
  }

  @Test
  void everyProblemTypeTheDeskCanAnswerAppearsInItsOpenApiDocument() throws Exception {
    JsonNode document = json.readTree(get("/v3/api-docs").body());
    Set<String> catalogued = new TreeSet<>();
    for (ProblemType type : identity.getBean(ProblemCatalog.class).types()) {
      catalogued.add(type.type());
    }
    assertThat(OpenApiDocuments.typesInCode("io.tally.identity"))
        .as("types the advices write as constants are in the catalogue")
        .isSubsetOf(catalogued);
    assertThat(OpenApiDocuments.answeredTypes(document))
        .as("every catalogued type is answered by an operation or a shared response, and no other")
        .isEqualTo(catalogued);
  }

  @Test
  void aRegistrationNotSignedByTheKeyItRegistersIsRefused() throws Exception {
    net.now = System.currentTimeMillis();
    byte[] payload = net.registerParticipant(net.id(), "bank-d", TestNetwork.key("bank-d"));
    HttpResponse<String> unsigned = post("/v1/proposals", proposal(payload));
    assertThat(unsigned.statusCode()).isEqualTo(400);
    assertThat(unsigned.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(problemType(unsigned)).isEqualTo("urn:tally:problem:key-possession-unproven");
    assertThat(json.readTree(unsigned.body()).get("detail").asString())
        .contains("did not sign the proposal");

    HttpResponse<String> signedByAnother =
        post("/v1/proposals", proposal(payload, TestNetwork.BANK_A));
    assertThat(signedByAnother.statusCode()).as(signedByAnother.body()).isEqualTo(400);
    assertThat(problemType(signedByAnother)).as(signedByAnother.body()).isNotNull();
    assertThat(problemType(signedByAnother)).isEqualTo("urn:tally:problem:key-possession-unproven");

    HttpResponse<String> notBase64 = post("/v1/proposals", "{\"payload\":\"%%%\"}");
    assertThat(notBase64.statusCode()).isEqualTo(400);
    assertThat(problemType(notBase64)).isEqualTo("urn:tally:problem:malformed");
    assertThat(post("/v1/proposals", "{not json").statusCode()).isEqualTo(400);
    // A null where a proof belongs was a NullPointerException (500).
    HttpResponse<String> nullProof =
        post("/v1/proposals", "{\"payload\":\"e30\",\"proofs\":[null]}");
    assertThat(nullProof.statusCode()).as(nullProof.body()).isEqualTo(400);
    assertThat(problemType(nullProof)).isEqualTo("urn:tally:problem:malformed");
    // Bodies are bounded: declared too large is 413 at once, a chunked one is cut at the limit.
    // 1.5 MiB: above the limit, below what Tomcat swallows of an unread body (2 MiB).
    String huge = "{\"payload\":\"" + "A".repeat(1536 * 1024) + "\"}";
    HttpResponse<String> declared = post("/v1/proposals", huge);
    assertThat(declared.statusCode()).as(declared.body()).isEqualTo(413);
    assertThat(problemType(declared)).isEqualTo("urn:tally:problem:too-large");
    HttpResponse<String> chunked =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + identity.getEnvironment().getProperty("local.server.port")
                            + "/v1/proposals"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () ->
                            new java.io.ByteArrayInputStream(
                                huge.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(400);
    assertThat(problemType(chunked)).isEqualTo("urn:tally:problem:malformed");
  }

  @Test
  void aProposalWhoseNotAfterTheNetworkWouldRefuseIsRefusedAtTheDesk() throws Exception {
    long now = System.currentTimeMillis();
    long day = 24 * 3_600_000L;
    // notAfter 31 days ahead: beyond the network's 30-day governance window.
    net.now = now + 31 * day - 60_000;
    HttpResponse<String> tooFar =
        post("/v1/proposals", proposal(net.registerAsset(net.id(), "XAU", 0, "bank-a")));
    assertThat(tooFar.statusCode()).as(tooFar.body()).isEqualTo(400);
    assertThat(problemType(tooFar)).isEqualTo("urn:tally:problem:not-after-too-far");

    // notAfter a minute ago: the network would refuse it as expired.
    net.now = now - 120_000;
    HttpResponse<String> expired =
        post("/v1/proposals", proposal(net.registerAsset(net.id(), "XAU", 0, "bank-a")));
    assertThat(expired.statusCode()).as(expired.body()).isEqualTo(400);
    assertThat(problemType(expired)).isEqualTo("urn:tally:problem:expired");

    // 29 days ahead is within the window.
    net.now = now + 29 * day;
    HttpResponse<String> within =
        post("/v1/proposals", proposal(net.registerAsset(net.id(), "XAU", 0, "bank-a")));
    assertThat(within.statusCode()).as(within.body()).isEqualTo(201);
    assertThat(json.readTree(within.body()).get("status").asString()).isEqualTo("OPEN");
    assertThat(json.readTree(within.body()).has("code")).isFalse();
  }

  @Test
  void gApprovalsPublishExactlyOneEntryAcrossARestartAndFewerPublishNothing() throws Exception {
    net.now = System.currentTimeMillis();
    String id = net.id() + "-" + net.now;
    byte[] payload = net.registerParticipant(id, "bank-c", TestNetwork.BANK_C);
    HttpResponse<String> created = post("/v1/proposals", proposal(payload, TestNetwork.BANK_C));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).hasValue("/v1/proposals/" + id);
    // Proposing the same content again is harmless; other content under the id is a conflict.
    assertThat(post("/v1/proposals", proposal(payload, TestNetwork.BANK_C)).statusCode())
        .isEqualTo(201);
    byte[] other = net.registerParticipant(id, "bank-e", TestNetwork.key("bank-e"));
    assertThat(problemType(post("/v1/proposals", proposal(other, TestNetwork.key("bank-e")))))
        .isEqualTo("urn:tally:problem:id-conflict");

    HttpResponse<String> first = approve(id, sign(payload, TestNetwork.ADMIN_1));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode afterFirst = json.readTree(first.body());
    assertThat(afterFirst.get("status").asString()).isEqualTo("OPEN");
    assertThat(afterFirst.get("threshold").asInt()).isEqualTo(2);

    // Approvals that do not count.
    String forged = sign(payload, TestNetwork.ADMIN_2);
    char last = forged.charAt(forged.length() - 2);
    forged =
        forged.substring(0, forged.length() - 2)
            + (last == 'A' ? 'B' : 'A')
            + forged.charAt(forged.length() - 1);
    HttpResponse<String> forgedApproval = approve(id, forged);
    assertThat(forgedApproval.statusCode()).isEqualTo(401);
    assertThat(problemType(forgedApproval)).isEqualTo("urn:tally:problem:signature-invalid");
    HttpResponse<String> overOtherBytes = approve(id, sign(other, TestNetwork.ADMIN_2));
    assertThat(overOtherBytes.statusCode()).isEqualTo(401);
    HttpResponse<String> notAdministrator = approve(id, sign(payload, TestNetwork.BANK_A));
    assertThat(notAdministrator.statusCode()).isEqualTo(403);
    assertThat(problemType(notAdministrator)).isEqualTo("urn:tally:problem:not-an-administrator");
    HttpResponse<String> twice = approve(id, sign(payload, TestNetwork.ADMIN_1));
    assertThat(twice.statusCode()).isEqualTo(409);
    assertThat(problemType(twice)).isEqualTo("urn:tally:problem:already-approved");
    assertThat(approve("no-such-proposal", sign(payload, TestNetwork.ADMIN_2)).statusCode())
        .isEqualTo(404);

    Thread.sleep(500); // the relay polls every 50 ms: g - 1 approvals must have published nothing
    assertThat(governanceRecords()).isEmpty();

    // A restart between the approvals changes nothing: they are in the database.
    identity.close();
    identity = startIdentity();

    HttpResponse<String> second = approve(id, sign(payload, TestNetwork.ADMIN_2));
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    assertThat(json.readTree(second.body()).get("status").asString()).isEqualTo("APPROVED");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (governanceRecords().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    // A third approval is recorded but publishes nothing more.
    assertThat(approve(id, sign(payload, TestNetwork.ADMIN_3)).statusCode()).isEqualTo(200);
    Thread.sleep(500);
    List<ConsumerRecord<byte[], byte[]>> published = governanceRecords();
    assertThat(published).hasSize(1);

    // The validators' engine accepts the entry: g administrators and the key's own signature.
    ConsumerRecord<byte[], byte[]> record = published.get(0);
    assertThat(Envelope.open(record.value(), TestNetwork.GENESIS, TestNetwork.LOG).producer())
        .isEqualTo("identity-1");
    Engine engine = new Engine(TestNetwork.GENESIS, Rules.DEFAULT, 0);
    BlockResult block =
        engine.execute(List.of(new LogRecord(record.offset(), record.timestamp(), record.value())));
    assertThat(block.outcomes()).extracting(Outcome::code).containsExactly(Code.ACCEPTED);
    assertThat(engine.participant("bank-c")).isPresent();
  }

  static int port() {
    return Integer.parseInt(
        String.valueOf(identity.getEnvironment().getProperty("local.server.port")));
  }

  @Test
  void proposalsPageWithNulCursorIsMalformedProblem() {
    // It used to be 500: PostgreSQL refuses the NUL, with a stack trace in the log.
    RawHttp.Answer answer = RawHttp.get(port(), "/v1/proposals?after=%00");
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(json.readTree(answer.body()).get("type").asString())
        .isEqualTo("urn:tally:problem:malformed");
  }

  @Test
  void anUnreadableProposalIsMalformedAsTheReadmePromises() throws Exception {
    HttpResponse<String> answer = post("/v1/proposals", "{\"payload\":");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(problemType(answer)).isEqualTo("urn:tally:problem:malformed");
  }

  @Test
  void hostileInputGetsProblemDetailsAndTheDeskKeepsWorking() throws Exception {
    String approval = "{\"approval\":\"x\"}";
    new HostileInput()
        .everyService("/actuator/health")
        .everyService("/v1/proposals")
        .pathParameter("GET", "/v1/proposals/{}", null)
        .pathParameter("POST", "/v1/proposals/{}/approvals", approval)
        .pathParameter("GET", "/v1/participants/{}", null)
        .pathParameter("GET", "/v1/participants/{}/jwks", null)
        .queryParameter("/v1/proposals", "after", false)
        .queryParameter("/v1/proposals", "limit", true)
        .unsupportedMediaType("/v1/proposals")
        .unsupportedMediaType("/v1/proposals/p1/approvals")
        .unreadableBody("/v1/proposals")
        .unreadableBody("/v1/proposals/p1/approvals")
        .runAgainst(port());
    HttpResponse<String> page = get("/v1/proposals");
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
  }
}
