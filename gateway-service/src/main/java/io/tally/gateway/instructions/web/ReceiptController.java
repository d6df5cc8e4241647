package io.tally.gateway.instructions.web;

import io.tally.engine.Identifiers;
import io.tally.engine.Outcome;
import io.tally.gateway.config.GatewayProperties;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.receipt.Receipt;
import io.tally.service.CertifiedReplica;
import io.tally.service.web.RequestParameters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Receipts (DESIGN section 4): the entry as written to the log, its outcome record, the block
 * header and its quorum certificate, and the Merkle inclusion proofs of both. The parts come from a
 * ledger replica, which is not trusted: the gateway checks the certificate against the genesis and
 * both proofs against the certified roots before it serves a receipt, and takes the entry that its
 * own certified replica names for the id.
 */
@RestController
@RequestMapping("/v1/instructions")
class ReceiptController {

  /** A receipt in the JSON form {@link Receipt#parse} reads (DESIGN section 4). */
  record ReceiptResponse(
      String instructionId,
      String record,
      String outcome,
      String header,
      String certificate,
      long index,
      long treeSize,
      List<String> entriesProof,
      List<String> resultsProof,
      String finality) {}

  /** The ledger could not give a receipt that checks out. */
  static final class ReceiptUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReceiptUnavailable(String detail, Throwable cause) {
      super(detail, cause);
    }

    ReceiptUnavailable(String detail) {
      super(detail);
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final CertifiedReplica replica;
  private final Genesis genesis;
  private final URI ledger;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final JsonMapper json = JsonMapper.builder().build();

  ReceiptController(CertifiedReplica replica, Genesis genesis, GatewayProperties properties) {
    this.replica = replica;
    this.genesis = genesis;
    this.ledger = properties.ledgerUrl();
  }

  @GetMapping("/{id}/receipt")
  ReceiptResponse receipt(@PathVariable String id) {
    RequestParameters.id("id", id, Identifiers.INSTRUCTION_ID);
    Optional<Outcome> outcome = replica.outcome(id);
    if (outcome.isEmpty()) {
      throw new InstructionController.Unknown(
          "no certified block holds instruction " + id + " (not submitted, or not final yet)");
    }
    JsonNode entry = entryAt(id, outcome.get().offset());
    Receipt receipt;
    Receipt.Verified verified;
    try {
      JsonNode block = entry.get("block");
      JsonNode proof = entry.get("proof");
      receipt =
          new Receipt(
              id,
              Base64Url.decode(entry.get("record").asString()),
              entry.get("outcome").toString().getBytes(StandardCharsets.UTF_8),
              Base64Url.decode(block.get("header").asString()),
              block.get("certificate").toString().getBytes(StandardCharsets.UTF_8),
              proof.get("index").asLong(),
              proof.get("treeSize").asLong(),
              hashes(proof.get("entries")),
              hashes(proof.get("results")));
      verified = receipt.verify(genesis);
    } catch (VerificationException | RuntimeException e) {
      throw new ReceiptUnavailable("the ledger's parts of the receipt do not check out", e);
    }
    if (!Arrays.equals(receipt.outcome(), outcome.get().toBytes())) {
      throw new ReceiptUnavailable("the ledger's outcome differs from the certified one");
    }
    return new ReceiptResponse(
        id,
        Base64Url.encode(receipt.record()),
        new String(receipt.outcome(), StandardCharsets.UTF_8),
        Base64Url.encode(receipt.header()),
        new String(receipt.certificate(), StandardCharsets.UTF_8),
        receipt.index(),
        receipt.treeSize(),
        receipt.entriesProof().stream().map(Hash::toHex).toList(),
        receipt.resultsProof().stream().map(Hash::toHex).toList(),
        verified.finality());
  }

  private JsonNode entryAt(String id, long offset) {
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(ledger.resolve("/v1/entries/" + id)).timeout(TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ReceiptUnavailable("the ledger at " + ledger + " is not reachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReceiptUnavailable("interrupted while asking the ledger", e);
    }
    if (response.statusCode() != 200) {
      throw new ReceiptUnavailable(
          "the ledger has no committed entry for " + id + " yet (" + response.statusCode() + ")");
    }
    for (JsonNode entry : json.readTree(response.body()).get("entries")) {
      if (entry.get("offset").asLong() == offset) {
        return entry;
      }
    }
    throw new ReceiptUnavailable(
        "the ledger does not list the certified entry at offset " + offset);
  }

  private static List<Hash> hashes(JsonNode array) {
    List<Hash> list = new ArrayList<>();
    array.forEach(node -> list.add(Hash.ofHex(node.asString())));
    return list;
  }
}
