package io.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.engine.TestNetwork;
import io.tally.gateway.GatewayServiceApplication;
import io.tally.identity.IdentityServiceApplication;
import io.tally.ledger.LedgerServiceApplication;
import io.tally.protocol.Limits;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.keys.PrivateKeyFile;
import io.tally.testing.LocalKafka;
import io.tally.testing.LocalPostgres;
import io.tally.testing.TcpForwarder;
import io.tally.testing.network.InProcess;
import io.tally.testing.network.NetworkPlan;
import io.tally.validator.ValidatorServiceApplication;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/**
 * Every command that talks to a server, run in-process against a real network from test-support's
 * launcher: identity-service, 3 of the test network's 4 validators (its quorum), a ledger and a
 * gateway, on one real Kafka broker and real PostgreSQL. The network starts empty; the CLI itself
 * onboards two banks, an asset and an auditor through governance, and settles. Each {@code --json}
 * output is parsed as one JSON document, and each exit code is README's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

  static LocalKafka kafka;
  static LocalPostgres postgres;
  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  @TempDir static Path dir;
  static String[] network = {};
  static String gateway = "";

  @BeforeAll
  static void start() throws Exception {
    kafka = LocalKafka.start();
    postgres = LocalPostgres.start();
    NetworkPlan plan =
        NetworkPlan.in(dir)
            .genesis(TestNetwork.GENESIS_BYTES, TestNetwork::key)
            .kafka(kafka.bootstrapServers())
            .databases(postgres::createDatabase)
            .verifierThreads(1)
            .build();
    for (String admin : List.of("admin-1", "admin-2")) {
      PrivateKeyFile.write(TestNetwork.key(admin), key(admin));
    }
    // The quorum is 3 of 4: three validators certify every block, and start faster than four.
    for (int i = 1; i <= 3; i++) {
      services.add(InProcess.start(ValidatorServiceApplication.builder(), plan.validator(i)));
    }
    ConfigurableApplicationContext ledger =
        InProcess.start(LedgerServiceApplication.builder(), plan.ledger("ledger-1"));
    services.add(ledger);
    ConfigurableApplicationContext identity =
        InProcess.start(IdentityServiceApplication.builder(), plan.identity("identity-1"));
    services.add(identity);
    services.add(
        InProcess.start(
            GatewayServiceApplication.builder(),
            plan.gateway("gateway-1", "http://127.0.0.1:" + InProcess.port(ledger))));
    gateway = "http://127.0.0.1:" + InProcess.port(services.get(services.size() - 1));
    network =
        new String[] {
          "--gateway",
          gateway,
          "--identity",
          "http://127.0.0.1:" + InProcess.port(identity),
          "--timeout",
          "60s"
        };
  }

  @AfterAll
  static void stop() {
    for (int i = services.size() - 1; i >= 0; i--) {
      services.get(i).close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  record Run(int exitCode, String out, String err) {
    /** Standard output as the one JSON document it must be. */
    JsonObject json() {
      try {
        return JsonReader.parseObject(
            out.strip().getBytes(StandardCharsets.UTF_8), Limits.JSON_DEPTH_MAX);
      } catch (Exception e) {
        throw new AssertionError("not one JSON document: " + out + "\nstderr: " + err, e);
      }
    }
  }

  /** {@code tally args...} in this JVM. */
  static Run tally(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Tally.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  /** {@code tally args... --gateway G --identity I --timeout 60s}, expecting {@code exitCode}. */
  static Run online(int exitCode, String... args) {
    String[] all = Arrays.copyOf(args, args.length + network.length);
    System.arraycopy(network, 0, all, args.length, network.length);
    Run run = tally(all);
    assertThat(run.exitCode())
        .as("tally %s\nstdout: %s\nstderr: %s", String.join(" ", args), run.out(), run.err())
        .isEqualTo(exitCode);
    return run;
  }

  static Path key(String name) {
    return dir.resolve("keys").resolve(name + ".key");
  }

  static String file(String name) {
    return key(name).toString();
  }

  /** Proposes with {@code args}, approves as two administrators, waits for the outcome. */
  static void govern(String id, String... args) throws Exception {
    List<String> propose = new ArrayList<>(List.of("propose"));
    propose.addAll(List.of(args));
    propose.addAll(List.of("--id", id, "--json"));
    JsonObject proposed = online(0, propose.toArray(String[]::new)).json();
    assertThat(proposed.string("status")).isEqualTo("OPEN");
    assertThat(online(0, "approve", id, "--key", file("admin-1"), "--json").json().string("status"))
        .isEqualTo("OPEN");
    assertThat(online(0, "approve", id, "--key", file("admin-2"), "--json").json().string("status"))
        .isIn("APPROVED", "FINAL");
    JsonObject status = online(0, "status", id, "--wait", "--json").json();
    assertThat(status.string("code")).isEqualTo("ACCEPTED");
  }

  @Test
  @Order(1)
  void governanceFromTheCliOnboardsBanksAnAssetAndAnAuditor() throws Exception {
    for (String name : List.of("bank-x", "bank-y", "auditor-x")) {
      JsonObject keygen = tally("keygen", "--out", file(name), "--json").json();
      assertThat(keygen.string("kid")).isNotEmpty();
    }
    govern(
        "reg-bank-x",
        "register-participant",
        "--participant",
        "bank-x",
        "--name",
        "Bank X",
        "--participant-key",
        file("bank-x"));
    govern(
        "reg-bank-y",
        "register-participant",
        "--participant",
        "bank-y",
        "--name",
        "Bank Y",
        "--participant-key",
        file("bank-y"));
    govern(
        "reg-auditor-x",
        "register-participant",
        "--participant",
        "auditor-x",
        "--name",
        "Auditor X",
        "--role",
        "auditor",
        "--participant-key",
        file("auditor-x"));
    govern("asset-eur", "register-asset", "--asset", "EUR", "--scale", "2", "--issuer", "bank-x");

    JsonObject assets = online(0, "assets", "--json").json();
    JsonObject eur = (JsonObject) assets.array("assets", 10).get(0);
    assertThat(eur.string("code")).isEqualTo("EUR");
    assertThat(eur.integer("scale")).isEqualTo(2);
    assertThat(online(0, "assets").out()).contains("EUR", "2 decimal places, issued by bank-x");

    assertThat(online(0, "participants", "--json").json().array("participants", 10))
        .containsExactly("auditor-x", "bank-x", "bank-y");
    JsonObject auditor = online(0, "participants", "auditor-x", "--json").json();
    assertThat(auditor.array("roles", 10)).containsExactly("auditor");
    assertThat(online(3, "participants", "bank-z").err()).contains("unknown-participant");
  }

  @Test
  @Order(2)
  void amountsAreReadAndShownInTheAssetsUnits() throws Exception {
    JsonObject opened =
        online(
                0,
                "open-account",
                "--account",
                "x-eur",
                "--owner",
                "bank-x",
                "--asset",
                "EUR",
                "--flag",
                "issuance",
                "--key",
                file("bank-x"),
                "--json")
            .json();
    assertThat(opened.string("code")).isEqualTo("ACCEPTED");
    online(
        0,
        "open-account",
        "--account",
        "y-eur",
        "--owner",
        "bank-y",
        "--asset",
        "EUR",
        "--key",
        file("bank-y"));

    Run settled =
        online(
            0,
            "settle",
            "--id",
            "pay-1",
            "--leg",
            "x-eur:y-eur:7500.00 EUR",
            "--key",
            file("bank-x"),
            "--json");
    assertThat(settled.json().string("status")).isEqualTo("FINAL");
    assertThat(settled.json().string("code")).isEqualTo("ACCEPTED");
    assertThat(settled.err()).contains("waiting up to 60 s for instruction pay-1 to become final");
    // Minor units as before, and more decimals than the scale is a usage error.
    online(0, "settle", "--leg", "x-eur:y-eur:EUR:25", "--key", file("bank-x"));
    assertThat(online(2, "settle", "--leg", "x-eur:y-eur:1.001 EUR", "--key", file("bank-x")).err())
        .contains("EUR has 2 decimal places; 1.001 has more");
    Run broke =
        online(1, "settle", "--leg", "y-eur:x-eur:EUR:99999999", "--key", file("bank-y"), "--json");
    assertThat(broke.json().string("code")).isEqualTo("INSUFFICIENT_FUNDS");

    // Only the key: the participant comes from the directory, the network from the desk.
    JsonObject accounts = online(0, "accounts", "--key", file("bank-y"), "--json").json();
    JsonObject account = (JsonObject) accounts.array("accounts", 10).get(0);
    assertThat(account.string("id")).isEqualTo("y-eur");
    assertThat(account.string("postedBalance")).isEqualTo("750025");
    assertThat(account.integer("scale")).isEqualTo(2);
    assertThat(online(0, "accounts", "--key", file("bank-y")).out()).contains("7500.25 EUR");
    assertThat(
            online(
                    0,
                    "accounts",
                    "y-eur",
                    "--key",
                    file("bank-y"),
                    "--participant",
                    "bank-y",
                    "--json")
                .json()
                .array("accounts", 1))
        .hasSize(1);
    assertThat(online(3, "accounts", "x-eur", "--key", file("bank-y")).err()).contains("HTTP 403");

    JsonObject history = online(0, "history", "y-eur", "--key", file("bank-y"), "--json").json();
    assertThat(history.array("postings", 10)).hasSize(2);
    assertThat(online(0, "history", "y-eur", "--key", file("bank-y")).out())
        .contains("pay-1", "7500.00 EUR", "0.25 EUR");
  }

  @Test
  @Order(3)
  void statusAndReceiptsAnswerAsJsonAndUnknownIdsAtOnce() throws Exception {
    assertThat(online(0, "status", "pay-1", "--json").json().string("code")).isEqualTo("ACCEPTED");
    JsonObject receipt = online(0, "receipt", "pay-1", "--json").json();
    assertThat(receipt.string("instructionId")).isEqualTo("pay-1");
    Path file = dir.resolve("pay-1.receipt.json");
    assertThat(
            online(0, "receipt", "pay-1", "--out", file.toString(), "--json").json().string("file"))
        .isEqualTo(file.toString());
    JsonObject verified =
        tally(
                "verify-receipt",
                file.toString(),
                "--genesis",
                dir.resolve("network.json").toString(),
                "--json")
            .json();
    assertThat(verified.bool("valid")).isTrue();

    Run unknown = online(5, "status", "never-submitted", "--json");
    assertThat(unknown.json().string("status")).isEqualTo("NOT_FINAL");
    Run badId = online(3, "status", "bad id!", "--json");
    assertThat(badId.json().object("error").string("type"))
        .isEqualTo("urn:tally:problem:malformed");
    assertThat(badId.err()).doesNotContain("Illegal character");

    long started = System.nanoTime();
    Run waited =
        tally(
            "status",
            "never-submitted",
            "--wait",
            "--timeout",
            "2s",
            "--json",
            network[0],
            network[1],
            network[2],
            network[3]);
    assertThat(waited.exitCode()).as(waited.err()).isEqualTo(Tally.DEADLINE);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(waited.err()).contains("no certified block holds never-submitted");
    assertThat(waited.json().object("error").integer("exitCode")).isEqualTo(5);
  }

  @Test
  @Order(4)
  void aParticipantAddsRotatesAndRevokesItsKeysAndGovernanceAddsOne() throws Exception {
    for (String name : List.of("bank-x-2", "bank-x-3", "bank-x-4")) {
      tally("keygen", "--out", file(name));
    }
    String first = PrivateKeyFile.read(key("bank-x")).keyId();
    String second = PrivateKeyFile.read(key("bank-x-2")).keyId();
    assertThat(
            online(
                    0,
                    "key",
                    "add",
                    "--key",
                    file("bank-x"),
                    "--new-key",
                    file("bank-x-2"),
                    "--json")
                .json()
                .string("code"))
        .isEqualTo("ACCEPTED");
    assertThat(
            online(
                    0,
                    "key",
                    "rotate",
                    "--key",
                    file("bank-x-2"),
                    "--new-key",
                    file("bank-x-3"),
                    "--json")
                .json()
                .string("code"))
        .isEqualTo("ACCEPTED");
    assertThat(
            online(0, "key", "revoke", "--kid", first, "--key", file("bank-x-3"), "--json")
                .json()
                .string("code"))
        .isEqualTo("ACCEPTED");
    JsonObject bankX = online(0, "participants", "bank-x", "--json").json();
    assertThat(bankX.array("revokedKeyIds", 10)).contains(first, second);
    assertThat(bankX.array("currentKeyIds", 10))
        .containsExactly(PrivateKeyFile.read(key("bank-x-3")).keyId());

    govern(
        "gov-add-key", "add-key", "--participant", "bank-x", "--participant-key", file("bank-x-4"));
    assertThat(online(0, "participants", "bank-x", "--json").json().array("currentKeyIds", 10))
        .contains(PrivateKeyFile.read(key("bank-x-4")).keyId());
  }

  @Test
  @Order(5)
  void anAuditorReadsTheBlocks() throws Exception {
    JsonObject page =
        online(0, "blocks", "--key", file("auditor-x"), "--limit", "5", "--json").json();
    List<Object> blocks = page.array("blocks", 5);
    assertThat(blocks).isNotEmpty();
    long height = ((JsonObject) blocks.get(0)).integer("height");
    assertThat(
            online(0, "blocks", Long.toString(height), "--key", file("auditor-x"), "--json")
                .json()
                .integer("height"))
        .isEqualTo(height);
    assertThat(online(0, "blocks", "--key", file("auditor-x")).out())
        .contains("block " + height + ":");
    assertThat(online(3, "blocks", "--key", file("bank-y")).err()).contains("auditor-only");
  }

  @Test
  @Order(6)
  void eventsFollowReconnectsAfterADroppedConnection() throws Exception {
    int port = freePort();
    InetSocketAddress target =
        new InetSocketAddress(
            java.net.InetAddress.getLoopbackAddress(),
            Integer.parseInt(gateway.replaceAll(".*:", "")));
    TcpForwarder forwarder = TcpForwarder.start("127.0.0.1", port, target);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> events =
        CompletableFuture.supplyAsync(
            () -> {
              CommandLine commandLine = Tally.commandLine();
              commandLine.setOut(new PrintWriter(out, true));
              commandLine.setErr(new PrintWriter(err, true));
              return commandLine.execute(
                  "events",
                  "--follow",
                  "--json",
                  "--timeout",
                  "20s",
                  "--key",
                  file("bank-y"),
                  "--participant",
                  "bank-y",
                  "--genesis",
                  dir.resolve("network.json").toString(),
                  "--gateway",
                  "http://127.0.0.1:" + port);
            });
    try {
      await(() -> err.toString().contains("listening for finality events"), "the stream to open");
      online(
          0,
          "settle",
          "--id",
          "pay-ev-1",
          "--leg",
          "x-eur:y-eur:1.00 EUR",
          "--key",
          file("bank-x-3"));
      await(() -> out.toString().contains("pay-ev-1"), "the first event");

      forwarder.close(); // the connection drops
      await(() -> err.toString().contains("reconnecting in"), "the CLI to notice the drop");
      forwarder = TcpForwarder.start("127.0.0.1", port, target);
      await(
          () -> err.toString().contains("listening for finality events after "),
          "a resumed stream");
      online(
          0,
          "settle",
          "--id",
          "pay-ev-2",
          "--leg",
          "x-eur:y-eur:2.00 EUR",
          "--key",
          file("bank-x-3"));
      await(() -> out.toString().contains("pay-ev-2"), "an event after the reconnection");
    } finally {
      forwarder.close();
    }
    assertThat(events.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
    for (String line : out.toString().strip().split("\n", -1)) {
      JsonObject event =
          JsonReader.parseObject(line.getBytes(StandardCharsets.UTF_8), Limits.JSON_DEPTH_MAX);
      assertThat(event.string("code")).isEqualTo("ACCEPTED");
      assertThat(event.array("accounts", 10)).contains("y-eur");
    }
  }

  static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
