package io.tally.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.client.Instruction;
import io.tally.client.Keys;
import io.tally.client.Leg;
import io.tally.client.SignedInstruction;
import io.tally.client.TallyClient;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.receipt.Receipt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The network as a user runs it: the devstack with {@code --demo} (Kafka and PostgreSQL, then
 * identity, 4 validators, ledger and gateway as separate processes; two banks and two assets
 * onboarded through governance, funds issued, a DvP settled through the client), the {@code tally}
 * CLI as a process of its own, and a fault matrix: each service in turn killed with SIGKILL, and a
 * validator restarted on an empty database, while settlements pour in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SystemIT {

  private static final Duration LOAD = Duration.ofSeconds(30);

  private final JsonMapper json = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private DemoNetwork demo;
  private int faults;
  private Path dir = Path.of("");
  private Genesis genesis;
  private URI gateway;
  private URI identity;
  private URI ledger;

  @BeforeAll
  void startTheNetworkWithItsDemo() throws Exception {
    demo = DemoNetwork.start("system");
    dir = demo.dir;
    genesis = demo.genesis;
    gateway = demo.gateway;
    identity = demo.identity;
    ledger = demo.ledger;
  }

  @AfterAll
  void stopTheNetwork() throws Exception {
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  @Order(1)
  void theDemosReceiptVerifiesOfflineWithTheCliAndAnyChangedByteFailsIt() throws Exception {
    Path receipt = dir.resolve("demo-receipt.json");
    byte[] bytes = Files.readAllBytes(receipt);
    assertThat(Receipt.parse(bytes).verify(genesis).code()).isEqualTo("ACCEPTED");

    DemoNetwork.Cli valid = verifyReceipt(receipt);
    assertThat(valid.exitCode()).as(valid.output()).isZero();
    assertThat(valid.output()).contains("VALID receipt for demo-dvp-1", "Irrevocable");

    // One changed byte in each part of the receipt: the CLI says INVALID and exits 1.
    String text = new String(bytes, StandardCharsets.UTF_8);
    List<Integer> positions = new ArrayList<>();
    for (String member :
        List.of(
            "\"instructionId\":\"",
            "\"record\":\"",
            "\"outcome\":\"",
            "\"header\":\"",
            "\"certificate\":\"",
            "\"index\":",
            "\"entriesProof\":[\"",
            "\"resultsProof\":[\"")) {
      int at = text.indexOf(member);
      assertThat(at).as(member).isNotNegative();
      positions.add(at + member.length() + 3);
    }
    for (int position : positions) {
      byte[] changed = bytes.clone();
      changed[position] ^= 0x01;
      Path file = dir.resolve("changed-" + position + ".json");
      Files.write(file, changed);
      DemoNetwork.Cli invalid = verifyReceipt(file);
      assertThat(invalid.exitCode()).as("byte %d: %s", position, invalid.output()).isEqualTo(1);
      assertThat(invalid.output()).contains("INVALID receipt");
    }

    // The finality sentence is checked too: "certified by 9 of 9" or another block is refused,
    // and the CLI prints the facts it verified, never the receipt's words.
    String sentence = Receipt.parse(bytes).finality();
    assertThat(sentence).startsWith("Irrevocable: entry ");
    int by = sentence.indexOf("certified by ") + "certified by ".length();
    String overstated = sentence.substring(0, by) + "9 of 9" + sentence.substring(by + 6);
    String otherBlock = sentence.replaceFirst(" of block ([0-9]+) ", " of block 999$1 ");
    for (String edited : List.of(overstated, otherBlock)) {
      assertThat(edited).isNotEqualTo(sentence);
      Path file = dir.resolve("edited-finality-" + edited.hashCode() + ".json");
      Files.writeString(file, text.replace(sentence, edited));
      DemoNetwork.Cli invalid = verifyReceipt(file);
      assertThat(invalid.exitCode()).as(invalid.output()).isEqualTo(1);
      assertThat(invalid.output()).contains("INVALID receipt", "FINALITY_MISMATCH");
    }
  }

  @Test
  @Order(2)
  void theCliSettlesWithTwoSignersAndReadsOnlyTheCallersAccounts() throws Exception {
    String keys = dir.resolve("keys").toString();
    String[] network = {"--gateway", gateway.toString(), "--identity", identity.toString()};
    Path dvp = dir.resolve("dvp-2.json");
    DemoNetwork.Cli built =
        cli(
            "settle",
            "--id",
            "cli-dvp-2",
            "--leg",
            "a-eur:b-eur:EUR:500",
            "--leg",
            "b-bond:a-bond:BOND:1",
            "--key",
            keys + "/bank-a.key",
            "--out",
            dvp.toString());
    assertThat(built.exitCode()).as(built.output()).isZero();
    DemoNetwork.Cli signed = cli("sign", dvp.toString(), "--key", keys + "/bank-b.key", "--json");
    assertThat(signed.exitCode()).as(signed.output()).isZero();
    assertThat(signed.output()).contains("\"id\":\"cli-dvp-2\"");
    DemoNetwork.Cli submitted = cli(concat(new String[] {"submit", dvp.toString()}, network));
    assertThat(submitted.exitCode()).as(submitted.output()).isZero();
    assertThat(submitted.output()).contains("cli-dvp-2 FINAL ACCEPTED");

    DemoNetwork.Cli broke =
        cli(
            concat(
                new String[] {
                  "settle", "--leg", "a-eur:b-eur:EUR:999999999999", "--key", keys + "/bank-a.key"
                },
                network));
    assertThat(broke.exitCode()).as(broke.output()).isEqualTo(1);
    assertThat(broke.output()).contains("INSUFFICIENT_FUNDS");
    DemoNetwork.Cli refused =
        cli(
            concat(
                new String[] {
                  "settle", "--leg", "a-eur:b-eur:EUR:0", "--key", keys + "/bank-a.key"
                },
                network));
    assertThat(refused.exitCode()).as(refused.output()).isEqualTo(3);
    assertThat(refused.output()).contains("urn:tally:problem:amount-invalid");

    // Open an account, reserve and commit, reserve and cancel; status and receipt of one.
    String bankAKey = keys + "/bank-a.key";
    for (String[] step :
        List.of(
            new String[] {
              "open-account",
              "--id",
              "cli-open",
              "--account",
              "a-eur-2",
              "--owner",
              "bank-a",
              "--asset",
              "EUR",
              "--key",
              bankAKey
            },
            new String[] {
              "reserve",
              "--id",
              "cli-r1",
              "--leg",
              "a-eur:a-eur-2:EUR:10",
              "--expires-in",
              "5m",
              "--key",
              bankAKey
            },
            new String[] {"commit", "--reservation", "cli-r1", "--key", bankAKey},
            new String[] {
              "reserve", "--id", "cli-r2", "--leg", "a-eur:a-eur-2:EUR:20", "--key", bankAKey
            },
            new String[] {"cancel", "--reservation", "cli-r2", "--key", bankAKey},
            new String[] {"status", "cli-r1"})) {
      DemoNetwork.Cli done = cli(concat(step, network));
      assertThat(done.exitCode()).as("%s: %s", step[0], done.output()).isZero();
      assertThat(done.output()).contains("FINAL ACCEPTED");
    }
    Path receipt = dir.resolve("cli-r1.json");
    DemoNetwork.Cli fetched =
        cli(concat(new String[] {"receipt", "cli-r1", "--out", receipt.toString()}, network));
    assertThat(fetched.exitCode()).as(fetched.output()).isZero();
    DemoNetwork.Cli verified = verifyReceipt(receipt);
    assertThat(verified.exitCode()).as(verified.output()).isZero();

    // Governance from the CLI: a new participant with its own key, approved by two administrators.
    Path bankC = dir.resolve("keys/bank-c.key");
    DemoNetwork.Cli keygen = cli("keygen", "--out", bankC.toString(), "--json");
    assertThat(keygen.exitCode()).as(keygen.output()).isZero();
    DemoNetwork.Cli proposed =
        cli(
            concat(
                new String[] {
                  "propose",
                  "register-participant",
                  "--id",
                  "cli-register-bank-c",
                  "--participant",
                  "bank-c",
                  "--name",
                  "Bank C",
                  "--participant-key",
                  bankC.toString()
                },
                network));
    assertThat(proposed.exitCode()).as(proposed.output()).isZero();
    assertThat(proposed.output()).contains("cli-register-bank-c", "OPEN");
    DemoNetwork.Cli first =
        cli(
            concat(
                new String[] {"approve", "cli-register-bank-c", "--key", keys + "/admin-1.key"},
                network));
    assertThat(first.exitCode()).as(first.output()).isZero();
    DemoNetwork.Cli second =
        cli(
            concat(
                new String[] {"approve", "cli-register-bank-c", "--key", keys + "/admin-2.key"},
                network));
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).contains("APPROVED");
    DemoNetwork.Cli again =
        cli(
            concat(
                new String[] {"approve", "cli-register-bank-c", "--key", keys + "/admin-2.key"},
                network));
    assertThat(again.exitCode()).as(again.output()).isEqualTo(3);

    String[] reader = {
      "--participant",
      "bank-a",
      "--key",
      keys + "/bank-a.key",
      "--genesis",
      dir.resolve("network.json").toString()
    };
    DemoNetwork.Cli accounts =
        cli(concat(concat(new String[] {"accounts", "--json"}, reader), network));
    assertThat(accounts.exitCode()).as(accounts.output()).isZero();
    assertThat(accounts.output()).contains("\"a-eur\"", "\"a-bond\"").doesNotContain("\"b-eur\"");
    DemoNetwork.Cli others =
        cli(concat(concat(new String[] {"accounts", "b-eur"}, reader), network));
    assertThat(others.exitCode()).as(others.output()).isEqualTo(3);
    DemoNetwork.Cli history =
        cli(concat(concat(new String[] {"history", "a-bond"}, reader), network));
    assertThat(history.exitCode()).as(history.output()).isZero();
    assertThat(history.output()).contains("cli-dvp-2");
  }

  private static String[] concat(String[] first, String[] second) {
    String[] both = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  @Test
  @Order(3)
  void theClientSubmitsABatchAndEachItemGetsItsOwnAnswer() throws Exception {
    SigningKey bankA = Keys.read(dir.resolve("keys/bank-a.key"));
    TallyClient client = TallyClient.create(gateway, identity, Duration.ofSeconds(10));
    long notAfter = System.currentTimeMillis() + 600_000;
    List<SignedInstruction> batch =
        List.of(
            Instruction.settle("batch-1", notAfter, List.of(Leg.of("a-eur", "b-eur", "EUR", 1)))
                .sign(List.of(bankA)),
            Instruction.settle("batch-2", notAfter, List.of(Leg.of("a-eur", "b-eur", "EUR", 0)))
                .sign(List.of(bankA)),
            Instruction.settle("batch-3", notAfter, List.of(Leg.of("a-eur", "b-eur", "EUR", 2)))
                .sign(List.of(bankA)));
    List<TallyClient.BatchItem> results = client.submitAll(batch);
    assertThat(results)
        .extracting(TallyClient.BatchItem::status)
        .containsExactly("SUBMITTED", "REJECTED", "SUBMITTED");
    assertThat(results.get(1).type()).isEqualTo("urn:tally:problem:amount-invalid");
    assertThat(client.await("batch-1", Duration.ofSeconds(30)).accepted()).isTrue();
    assertThat(client.await("batch-3", Duration.ofSeconds(30)).accepted()).isTrue();
  }

  // ------------------------------------------------------------------ the fault matrix
  //
  // Each fault strikes a third of the way into 30 s of load; the devstack restarts the killed
  // process as Kubernetes would restart a pod. After each: every accepted submission is final
  // exactly once, the balances show each settlement once, per asset debits equal credits, and
  // the time to recover is printed ("[fault-matrix]" lines, docs/reliability.md).

  @Test
  @Order(4)
  void aValidatorKilledUnderLoadLosesNothingSettlesEachOnceAndCatchesUp() throws Exception {
    underLoad("kill -9 validator-2", () -> kill("validator-2"));
    awaitValidatorCaughtUp("validator-2");
  }

  @Test
  @Order(5)
  void theLedgerKilledWhileItCommitsLosesNothingAndResumesFromItsStoredProgress() throws Exception {
    underLoad("kill -9 ledger (commits run back to back under load)", () -> kill("ledger"));
  }

  @Test
  @Order(6)
  void theGatewayKilledWithRequestsInFlightKeepsEveryAcceptedSubmission() throws Exception {
    underLoad("kill -9 gateway (requests in flight)", () -> kill("gateway"));
  }

  @Test
  @Order(7)
  void identityKilledUnderLoadComesBackAndSettlementsGoOn() throws Exception {
    underLoad("kill -9 identity", () -> kill("identity"));
  }

  @Test
  @Order(8)
  void aValidatorStartedOnAnEmptyDiskResyncsFromTheLogAndNeverForks() throws Exception {
    underLoad(
        "validator-3 restarted on an empty database",
        () -> {
          emptyDatabaseOf("validator-3");
          kill("validator-3");
        });
    awaitValidatorCaughtUp("validator-3");
    // It voted again for every height from the genesis: no equivocation was seen anywhere.
    JsonNode ledgerHealth = get(ledger.resolve("/actuator/health"));
    assertThat(ledgerHealth.toString()).doesNotContain("equivocation");
  }

  /**
   * Runs {@code fault} under load and checks what must hold after it; prints the figures for
   * docs/reliability.md.
   */
  private void underLoad(String name, FaultUnderLoad.ThrowingRunnable fault) throws Exception {
    SigningKey bankA = Keys.read(dir.resolve("keys/bank-a.key"));
    SigningKey bankB = Keys.read(dir.resolve("keys/bank-b.key"));
    TallyClient client = TallyClient.create(gateway, identity, Duration.ofSeconds(10));
    long aEurBefore = balance("a-eur");
    long bEurBefore = balance("b-eur");
    faults++;
    String prefix = "load" + faults;
    FaultUnderLoad.Result load = FaultUnderLoad.run(client, bankA, bankB, prefix, LOAD, fault);

    // Every accepted submission becomes final, accepted; an unanswered one may or may not.
    long finalHeight = 0;
    long expectedA = aEurBefore;
    long expectedB = bEurBefore;
    for (Map.Entry<String, Long> submission : load.accepted().entrySet()) {
      TallyClient.Status status = client.await(submission.getKey(), Duration.ofMinutes(2));
      assertThat(status.code()).as(submission.getKey()).isEqualTo("ACCEPTED");
      finalHeight = Math.max(finalHeight, status.asOfHeight());
      expectedA += submission.getValue();
      expectedB -= submission.getValue();
    }
    long recoveredAt = System.nanoTime();
    int unansweredSettled = 0;
    for (Map.Entry<String, Long> submission : load.unanswered().entrySet()) {
      var status = client.status(submission.getKey());
      if (status.isPresent()) {
        TallyClient.Status last = client.await(submission.getKey(), Duration.ofMinutes(2));
        finalHeight = Math.max(finalHeight, last.asOfHeight());
        if (last.accepted()) {
          unansweredSettled++;
          expectedA += submission.getValue();
          expectedB -= submission.getValue();
        }
      }
    }

    // The ledger committed all of it: each settlement moved money exactly once.
    awaitLedgerHeight(finalHeight);
    assertThat(balance("a-eur")).isEqualTo(expectedA);
    assertThat(balance("b-eur")).isEqualTo(expectedB);
    List<String> ids = new ArrayList<>(load.accepted().keySet());
    for (String id : ids.subList(0, Math.min(100, ids.size()))) {
      JsonNode entries = get(ledger.resolve("/v1/entries/" + id)).get("entries");
      long settled = 0;
      for (JsonNode entry : entries) {
        if (entry.get("code").asString().equals("ACCEPTED")
            && entry.get("originalOffset").isNull()) {
          settled++;
        }
      }
      assertThat(settled).as(id).isEqualTo(1);
    }
    // Conservation: per asset, debits equal credits over every account.
    Map<String, Long> byAsset = new HashMap<>();
    String after = "";
    while (after != null) {
      JsonNode page = get(ledger.resolve("/v1/accounts?limit=100&after=" + after));
      for (JsonNode account : page.get("accounts")) {
        byAsset.merge(
            account.get("asset").asString(),
            Long.parseLong(account.get("postedBalance").asString()),
            Long::sum);
      }
      after = page.get("next").isNull() ? null : page.get("next").asString();
    }
    assertThat(byAsset)
        .containsOnlyKeys("EUR", "BOND")
        .allSatisfy((asset, sum) -> assertThat(sum).as(asset).isZero());
    System.out.printf(
        "[fault-matrix] %s: %d accepted (%d before the fault), %d unanswered (%d of them"
            + " settled), lost 0, doubled 0, conservation holds; every accepted final %.1f s"
            + " after the fault%n",
        name,
        load.accepted().size(),
        load.acceptedBeforeFault(),
        load.unanswered().size(),
        unansweredSettled,
        (recoveredAt - load.faultAtNanos()) / 1e9);
  }

  private void kill(String service) {
    long killed = pid(service);
    System.out.println("[system-test] kill -9 " + service + " (pid " + killed + ")");
    assertThat(ProcessHandle.of(killed).orElseThrow().destroyForcibly()).isTrue();
  }

  /** Empties the database of {@code service} (its JDBC URL is on its command line). */
  private void emptyDatabaseOf(String service) throws Exception {
    // The command line as the kernel keeps it: arguments separated by NUL bytes.
    String commandLine = Files.readString(Path.of("/proc", Long.toString(pid(service)), "cmdline"));
    String url =
        java.util.Arrays.stream(commandLine.split("\u0000"))
            .filter(argument -> argument.startsWith("--spring.datasource.url="))
            .map(argument -> argument.substring("--spring.datasource.url=".length()))
            .findFirst()
            .orElseThrow(() -> new AssertionError(service + " has no datasource on its command"));
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA public CASCADE");
      statement.execute("CREATE SCHEMA public");
    }
    System.out.println("[system-test] emptied the database of " + service);
  }

  /** The devstack restarted {@code validator}; it replays and catches up with the ledger. */
  private void awaitValidatorCaughtUp(String validator) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    URI uri = URI.create("http://127.0.0.1:" + port(validator));
    long ledgerHeight = get(ledger.resolve("/v1/blocks/head")).get("height").asLong();
    while (true) {
      long height = -1;
      try {
        height =
            get(uri.resolve("/actuator/health"))
                .path("components")
                .path("validator")
                .path("details")
                .path("lastHeight")
                .asLong(-1);
      } catch (IOException e) {
        // still starting
      }
      if (height >= ledgerHeight) {
        break;
      }
      assertThat(System.nanoTime())
          .as("%s at %d, ledger at %d", validator, height, ledgerHeight)
          .isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  // ------------------------------------------------------------------ helpers

  private long pid(String service) {
    return demo.pid(service);
  }

  private int port(String service) {
    return demo.port(service);
  }

  private long balance(String account) throws Exception {
    // Amounts are decimal strings (ADR 0015).
    return Long.parseLong(
        get(ledger.resolve("/v1/accounts/" + account)).get("postedBalance").asString());
  }

  private void awaitLedgerHeight(long height) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (get(ledger.resolve("/v1/blocks/head")).get("height").asLong() < height) {
      assertThat(System.nanoTime()).as("ledger behind height %d", height).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private JsonNode get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(uri + " answered " + response.statusCode() + ": " + response.body());
    }
    return json.readTree(response.body());
  }

  private DemoNetwork.Cli verifyReceipt(Path file) throws Exception {
    return demo.verifyReceipt(file);
  }

  private DemoNetwork.Cli cli(String... args) throws Exception {
    return demo.cli(args);
  }
}
