package io.tally.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.engine.LogRecord;
import io.tally.engine.TestNetwork;
import io.tally.ledger.LedgerServiceApplication;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import io.tally.testing.network.InProcess;
import io.tally.testing.network.NetworkPlan;
import io.tally.validator.ValidatorServiceApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * identity -> log -> validators -> ledger, each a Spring application on one real Kafka broker and
 * real PostgreSQL databases: a participant registered through governance opens accounts and
 * settles; after governance revokes its key, the validators reject what that key signs with
 * KEY_REVOKED; the directory shows the participant only once its registration is final.
 */
class GovernedOnboardingIT {

  static final Duration WAIT = Duration.ofSeconds(90);

  static LocalKafka kafka;
  static LocalPostgres postgres;
  static KafkaProducer<byte[], byte[]> producer;
  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  static ConfigurableApplicationContext identity;
  static ConfigurableApplicationContext ledger;
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
    ledger = InProcess.start(LedgerServiceApplication.builder(), plan.ledger("ledger-1"));
    services.add(ledger);
    identity = InProcess.start(IdentityServiceApplication.builder(), plan.identity("identity-1"));
    services.add(identity);
    producer = kafka.producer();
  }

  @AfterAll
  static void stop() {
    services.forEach(ConfigurableApplicationContext::close);
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

  static HttpResponse<String> call(
      ConfigurableApplicationContext service, String path, @Nullable String body) throws Exception {
    String port = service.getEnvironment().getProperty("local.server.port");
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (body != null) {
      request.header("Content-Type", "application/json");
      request.POST(HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Proposes {@code payload} with the proofs of {@code keys} and approves it as two admins. */
  static JsonNode govern(byte[] payload, SigningKey... keys) throws Exception {
    StringBuilder proofs = new StringBuilder();
    for (SigningKey key : keys) {
      proofs
          .append(proofs.length() == 0 ? "" : ",")
          .append('"')
          .append(sign(payload, key))
          .append('"');
    }
    HttpResponse<String> created =
        call(
            identity,
            "/v1/proposals",
            "{\"payload\":\"" + Base64Url.encode(payload) + "\",\"proofs\":[" + proofs + "]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = json.readTree(created.body()).get("id").asString();
    for (SigningKey admin : List.of(TestNetwork.ADMIN_1, TestNetwork.ADMIN_3)) {
      HttpResponse<String> approved =
          call(
              identity,
              "/v1/proposals/" + id + "/approvals",
              "{\"approval\":\"" + sign(payload, admin) + "\"}");
      assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    }
    return json.readTree(call(identity, "/v1/proposals/" + id, null).body());
  }

  /** The desk's view of proposal {@code id} once it shows the network's outcome. */
  static JsonNode finalProposal(String id) throws Exception {
    await(
        "the desk to show the outcome of " + id,
        () -> {
          try {
            return json.readTree(call(identity, "/v1/proposals/" + id, null).body())
                .get("status")
                .asString()
                .equals("FINAL");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    return json.readTree(call(identity, "/v1/proposals/" + id, null).body());
  }

  static String sign(byte[] payload, SigningKey key) {
    return CompactJws.sign(JwsType.GOVERNANCE, payload, key).serialize();
  }

  /** Writes an instruction to the log as the gateway would. */
  static void submit(LogRecord record) throws Exception {
    producer.send(new ProducerRecord<>("tally.log", 0, null, record.value())).get();
  }

  /** The code the ledger committed for an instruction id, once it did. */
  static String committedCode(String instructionId) throws Exception {
    await(
        "the ledger to commit " + instructionId,
        () -> {
          try {
            return call(ledger, "/v1/entries/" + instructionId, null).statusCode() == 200;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    JsonNode entries = json.readTree(call(ledger, "/v1/entries/" + instructionId, null).body());
    return entries.get("entries").get(0).get("code").asString();
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  @Test
  void aParticipantRegisteredThroughGovernanceSettlesUntilGovernanceRevokesItsKey()
      throws Exception {
    net.now = System.currentTimeMillis();
    assertThat(call(identity, "/v1/participants/bank-c", null).statusCode()).isEqualTo(404);

    String registration = net.id();
    govern(net.registerParticipant(registration, "bank-c", TestNetwork.BANK_C), TestNetwork.BANK_C);
    String asset = net.id();
    govern(net.registerAsset(asset, "USD", 2, "bank-c"));

    // The directory shows bank-c once a certified block holds its registration, not before.
    await(
        "the directory to show bank-c",
        () -> {
          try {
            return call(identity, "/v1/participants/bank-c", null).statusCode() == 200;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(committedCode(registration)).isEqualTo("ACCEPTED");
    JsonNode participant = json.readTree(call(identity, "/v1/participants/bank-c", null).body());
    assertThat(participant.get("currentKeyIds").get(0).asString())
        .isEqualTo(TestNetwork.BANK_C.keyId());
    assertThat(call(identity, "/v1/participants/bank-c/jwks", null).body())
        .contains(TestNetwork.BANK_C.keyId());
    assertThat(committedCode(asset)).isEqualTo("ACCEPTED");
    await(
        "the directory to list USD",
        () -> {
          try {
            return call(identity, "/v1/assets", null).body().contains("\"code\":\"USD\"");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(call(identity, "/v1/assets", null).body()).contains("\"issuer\":\"bank-c\"");

    // bank-c opens accounts and settles, signing with the key it registered.
    net.now = System.currentTimeMillis();
    submit(
        net.instruction(
            net.openAccount(net.id(), "c-issue", "bank-c", "USD", "issuance"), TestNetwork.BANK_C));
    submit(
        net.instruction(net.openAccount(net.id(), "c-usd", "bank-c", "USD"), TestNetwork.BANK_C));
    String settlement = net.id();
    submit(
        net.instruction(
            net.settle(settlement, TestNetwork.leg("c-issue", "c-usd", "USD", 500)),
            TestNetwork.BANK_C));
    assertThat(committedCode(settlement)).isEqualTo("ACCEPTED");
    JsonNode balance = json.readTree(call(ledger, "/v1/accounts/c-usd", null).body());
    assertThat(balance.get("postedBalance").asString()).isEqualTo("500");

    // Governance revokes the key; what it signs afterwards is refused by the validators.
    net.now = System.currentTimeMillis();
    String revocation = net.id();
    govern(net.revokeKey(revocation, "bank-c", TestNetwork.BANK_C.keyId()));
    assertThat(committedCode(revocation)).isEqualTo("ACCEPTED");
    String late = net.id();
    submit(
        net.instruction(
            net.settle(late, TestNetwork.leg("c-issue", "c-usd", "USD", 1)), TestNetwork.BANK_C));
    assertThat(committedCode(late)).isEqualTo("KEY_REVOKED");
    await(
        "the directory to show the key revoked",
        () -> {
          try {
            JsonNode view = json.readTree(call(identity, "/v1/participants/bank-c", null).body());
            return view.get("revokedKeyIds").size() == 1 && view.get("currentKeyIds").isEmpty();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void theDeskShowsTheNetworksOutcomeOfAnApprovedProposalAcceptedOrRefused() throws Exception {
    net.now = System.currentTimeMillis();
    SigningKey bankD = TestNetwork.key("bank-d");
    String registration = net.id() + "-bank-d";
    JsonNode approved = govern(net.registerParticipant(registration, "bank-d", bankD), bankD);
    assertThat(approved.get("status").asString()).isIn("APPROVED", "FINAL");

    JsonNode accepted = finalProposal(registration);
    assertThat(accepted.get("code").asString()).isEqualTo("ACCEPTED");
    assertThat(committedCode(registration)).isEqualTo("ACCEPTED");

    // The same participant again: the desk cannot know (it depends on the network's state), the
    // validators refuse it, and the desk shows their outcome instead of APPROVED forever.
    String again = net.id() + "-bank-d-again";
    govern(net.registerParticipant(again, "bank-d", bankD), bankD);
    JsonNode refused = finalProposal(again);
    assertThat(refused.get("code").asString()).isEqualTo("PARTICIPANT_EXISTS");
    assertThat(committedCode(again)).isEqualTo("PARTICIPANT_EXISTS");
  }
}
