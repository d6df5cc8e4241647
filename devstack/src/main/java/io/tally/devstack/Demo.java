package io.tally.devstack;

import io.tally.client.GovernanceChange;
import io.tally.client.Instruction;
import io.tally.client.Keys;
import io.tally.client.Leg;
import io.tally.client.SignedInstruction;
import io.tally.client.TallyClient;
import io.tally.client.TallyException;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.receipt.Receipt;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code --demo}: what a consortium does on its first day, through the Java client. Two
 * administrators onboard bank-a and bank-b and the assets EUR (issued by bank-a) and BOND (issued
 * by bank-b) through the identity desk; the banks open accounts, issue funds, and settle a delivery
 * versus payment that both sign; the receipt is fetched and verified against the genesis alone, and
 * left in the run directory for {@code tally verify-receipt}.
 */
public final class Demo {

  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final URI identity;
  private final TallyClient client;
  private final Genesis genesis;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newHttpClient();
  private final SigningKey admin1;
  private final SigningKey admin2;
  private final String administrators;
  private final URI dashboard;

  Demo(Path dir, URI gateway, URI identity, PrintStream out) throws Exception {
    this(dir, gateway, identity, out, "admin-1", "admin-2");
  }

  /**
   * The demo on any network: {@code dir} holds its {@code network.json} and {@code
   * keys/<administrator>.key} of two of its administrators; the banks' keys and the receipt are
   * written there too.
   */
  public Demo(
      Path dir, URI gateway, URI identity, PrintStream out, String firstAdmin, String secondAdmin)
      throws Exception {
    this.dir = dir;
    this.identity = identity;
    this.client = TallyClient.create(gateway, identity, Duration.ofSeconds(10));
    this.dashboard = gateway.resolve("/dashboard/");
    this.genesis = Genesis.load(dir.resolve("network.json"));
    this.out = out;
    this.admin1 = Keys.read(dir.resolve("keys/" + firstAdmin + ".key"));
    this.admin2 = Keys.read(dir.resolve("keys/" + secondAdmin + ".key"));
    this.administrators = firstAdmin + " and " + secondAdmin;
  }

  /** Runs every step; throws at the first one that does not end as expected. */
  public void run() throws Exception {
    out.println("demo: onboarding through governance (" + administrators + " approve, g = 2)");
    SigningKey bankA = Keys.generate(dir.resolve("keys/bank-a.key"));
    SigningKey bankB = Keys.generate(dir.resolve("keys/bank-b.key"));
    long governanceNotAfter = System.currentTimeMillis() + Duration.ofHours(1).toMillis();
    govern(
        GovernanceChange.registerParticipant(
            "demo-register-bank-a",
            governanceNotAfter,
            "bank-a",
            "Bank A",
            List.of(bankA.verificationKey())),
        bankA);
    govern(
        GovernanceChange.registerParticipant(
            "demo-register-bank-b",
            governanceNotAfter,
            "bank-b",
            "Bank B",
            List.of(bankB.verificationKey())),
        bankB);
    SigningKey auditor = Keys.generate(dir.resolve("keys/auditor-1.key"));
    govern(
        GovernanceChange.registerParticipant(
            "demo-register-auditor-1",
            governanceNotAfter,
            "auditor-1",
            "Auditor 1",
            List.of(auditor.verificationKey()),
            List.of("auditor")),
        auditor);
    govern(
        GovernanceChange.registerAsset("demo-asset-eur", governanceNotAfter, "EUR", 2, "bank-a"));
    govern(
        GovernanceChange.registerAsset("demo-asset-bond", governanceNotAfter, "BOND", 0, "bank-b"));
    awaitDirectory("/v1/participants/bank-a");
    awaitDirectory("/v1/participants/bank-b");
    awaitDirectory("/v1/participants/auditor-1");

    out.println("demo: opening accounts and issuing funds");
    settleOrFail(open("a-issue", "bank-a", "EUR", Set.of("issuance")).sign(List.of(bankA)));
    settleOrFail(open("a-eur", "bank-a", "EUR", Set.of()).sign(List.of(bankA)));
    settleOrFail(open("b-eur", "bank-b", "EUR", Set.of()).sign(List.of(bankB)));
    settleOrFail(open("b-issue", "bank-b", "BOND", Set.of("issuance")).sign(List.of(bankB)));
    settleOrFail(open("b-bond", "bank-b", "BOND", Set.of()).sign(List.of(bankB)));
    settleOrFail(open("a-bond", "bank-a", "BOND", Set.of()).sign(List.of(bankA)));
    settleOrFail(
        Instruction.settle(
                "demo-issue-eur", notAfter(), List.of(Leg.of("a-issue", "a-eur", "EUR", 1_000_000)))
            .sign(List.of(bankA)));
    settleOrFail(
        Instruction.settle(
                "demo-issue-bond", notAfter(), List.of(Leg.of("b-issue", "b-bond", "BOND", 1_000)))
            .sign(List.of(bankB)));

    out.println("demo: delivery versus payment, 10 BOND against 2,500.00 EUR, signed by both");
    SignedInstruction byA =
        Instruction.settle(
                "demo-dvp-1",
                notAfter(),
                List.of(
                    Leg.of("a-eur", "b-eur", "EUR", 250_000),
                    Leg.of("b-bond", "a-bond", "BOND", 10)))
            .sign(List.of(bankA));
    // bank-b receives bank-a's bytes and adds its signature: nobody re-serializes the payload.
    SignedInstruction both = SignedInstruction.parse(byA.toBytes()).withSignature(bankB);
    settleOrFail(both);

    // A payment beyond bank-a's balance: the network refuses it, and auditors see the code.
    TallyClient.Status refused =
        client.submitAndAwait(
            Instruction.settle(
                    "demo-overdraw-1",
                    notAfter(),
                    List.of(Leg.of("a-eur", "b-eur", "EUR", 900_000_000)))
                .sign(List.of(bankA)),
            STEP_TIMEOUT);
    out.println("  demo-overdraw-1 " + refused.status() + " " + refused.code());

    byte[] receipt = client.receipt("demo-dvp-1", STEP_TIMEOUT);
    Path receiptFile = dir.resolve("demo-receipt.json");
    Files.write(receiptFile, receipt);
    Receipt.Verified verified = Receipt.parse(receipt).verify(genesis);
    out.println("demo: receipt verified offline against the genesis: " + verified.finality());
    out.println(
        "demo: check it yourself: ./tally verify-receipt "
            + receiptFile
            + " --genesis "
            + dir.resolve("network.json"));
    out.println(
        "demo: the auditors' dashboard: "
            + dashboard
            + " (sign in as auditor-1 with "
            + dir.resolve("keys/auditor-1.key")
            + " and the genesis "
            + dir.resolve("network.json")
            + ")");
    out.println("devstack: demo done");
  }

  private static long notAfter() {
    return System.currentTimeMillis() + Duration.ofMinutes(10).toMillis();
  }

  private static Instruction open(String account, String owner, String asset, Set<String> flags) {
    return Instruction.openAccount(
        "demo-open-" + account, notAfter(), account, owner, asset, flags);
  }

  private void govern(GovernanceChange change, SigningKey... newKeys) throws TallyException {
    List<io.tally.protocol.jws.CompactJws> proofs =
        java.util.Arrays.stream(newKeys).map(change::proof).toList();
    client.propose(change, proofs);
    client.approve(change.id(), change.payload(), admin1);
    TallyClient.Proposal approved = client.approve(change.id(), change.payload(), admin2);
    out.println("  " + change.kind() + " " + change.id() + ": " + approved.status());
  }

  /** Submits and waits for ACCEPTED; while the gateway's directory has not caught up, retries. */
  private void settleOrFail(SignedInstruction instruction) throws Exception {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (true) {
      try {
        TallyClient.Status status = client.submitAndAwait(instruction, STEP_TIMEOUT);
        if (!status.accepted()) {
          throw new IllegalStateException(instruction.id() + " ended " + status.code());
        }
        out.println("  " + instruction.id() + " " + status.status() + " " + status.code());
        return;
      } catch (TallyException e) {
        boolean directoryBehind = e.type().endsWith(":signer-unknown");
        if (!directoryBehind || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private void awaitDirectory(String path) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (http.send(
                HttpRequest.newBuilder(identity.resolve(path)).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode()
        != 200) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(path + " is not in the certified directory yet");
      }
      Thread.sleep(200);
    }
  }
}
