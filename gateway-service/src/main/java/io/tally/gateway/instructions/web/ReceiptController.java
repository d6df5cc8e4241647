package io.tally.gateway.instructions.web;

import io.tally.engine.Outcome;
import io.tally.gateway.config.GatewayProperties;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.merkle.MerkleTree;
import io.tally.service.CertifiedReplica;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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

  /** A receipt; {@code header} and {@code record} are base64url of the exact bytes. */
  record Receipt(
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
  Receipt receipt(@PathVariable String id) {
    Optional<Outcome> outcome = replica.outcome(id);
    if (outcome.isEmpty()) {
      throw new InstructionController.Unknown(
          "no certified block holds instruction " + id + " (not submitted, or not final yet)");
    }
    JsonNode entry = entryAt(id, outcome.get().offset());
    try {
      byte[] record = Base64Url.decode(entry.get("record").asString());
      byte[] outcomeBytes = entry.get("outcome").toString().getBytes(StandardCharsets.UTF_8);
      JsonNode block = entry.get("block");
      byte[] headerBytes = Base64Url.decode(block.get("header").asString());
      BlockHeader header = BlockHeader.fromBytes(headerBytes);
      String certificate = block.get("certificate").toString();
      List<String> signers =
          QuorumCertificate.parse(certificate.getBytes(StandardCharsets.UTF_8))
              .verify(genesis.validators(), header);
      JsonNode proof = entry.get("proof");
      long index = proof.get("index").asLong();
      long size = proof.get("treeSize").asLong();
      List<String> entries = strings(proof.get("entries"));
      List<String> results = strings(proof.get("results"));
      MerkleTree.verifyInclusion(
          index, size, MerkleTree.leafHash(record), hashes(entries), header.entries());
      MerkleTree.verifyInclusion(
          index, size, MerkleTree.leafHash(outcomeBytes), hashes(results), header.results());
      if (!java.util.Arrays.equals(outcomeBytes, outcome.get().toBytes())) {
        throw new ReceiptUnavailable("the ledger's outcome differs from the certified one");
      }
      String finality =
          "Irrevocable: entry "
              + index
              + " of block "
              + header.height()
              + " of network "
              + genesis.hash().toHex()
              + ", certified by "
              + signers.size()
              + " of "
              + genesis.validators().members().size()
              + " validators ("
              + String.join(", ", signers)
              + "; "
              + genesis.validators().threshold()
              + " required) over header "
              + header.hash().toHex()
              + ".";
      return new Receipt(
          id,
          Base64Url.encode(record),
          new String(outcomeBytes, StandardCharsets.UTF_8),
          Base64Url.encode(headerBytes),
          certificate,
          index,
          size,
          entries,
          results,
          finality);
    } catch (VerificationException | RuntimeException e) {
      if (e instanceof ReceiptUnavailable unavailable) {
        throw unavailable;
      }
      throw new ReceiptUnavailable("the ledger's parts of the receipt do not check out", e);
    }
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

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(node -> list.add(node.asString()));
    return list;
  }

  private static List<Hash> hashes(List<String> hex) {
    return hex.stream().map(Hash::ofHex).toList();
  }
}
