package io.tally.gateway.instructions.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.engine.Identifiers;
import io.tally.gateway.instructions.application.IssueReceipt;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.receipt.Receipt;
import io.tally.service.web.RequestParameters;
import io.tally.service.web.openapi.ProblemTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receipts (DESIGN section 4) of instructions and governance changes: the entry as written to the
 * log, its outcome record, the block header and its quorum certificate, and the Merkle inclusion
 * proofs of both, verified before they are served ({@link IssueReceipt}). 404 before final; 503
 * {@code receipt-unavailable} with {@code Retry-After} while the ledger has not committed the
 * block; 502 {@code receipt-invalid} (no {@code Retry-After}) when the ledger's parts do not check
 * out, which asking again does not change.
 */
@RestController
@Tag(name = "instructions")
@RequestMapping("/v1/instructions")
class ReceiptController {

  /** A receipt in the JSON form {@link Receipt#parse} reads (DESIGN section 4, ADR 0015). */
  record ReceiptResponse(
      String instructionId,
      @Schema(description = "the log record (envelope) exactly as signed, base64url") String record,
      @Schema(description = "the outcome record (JSON text); its bytes are the results leaf")
          String outcome,
      @Schema(description = "the block header bytes, base64url") String header,
      @Schema(description = "the quorum certificate (JWS JSON general serialization) as text")
          String certificate,
      long index,
      long treeSize,
      List<String> entriesProof,
      List<String> resultsProof,
      @Schema(
              description =
                  "the verified facts in one sentence, exactly as Receipt.finality derives them;"
                      + " a verifier refuses a receipt whose sentence differs")
          String finality) {

    static ReceiptResponse of(Receipt receipt) {
      return new ReceiptResponse(
          receipt.instructionId(),
          Base64Url.encode(receipt.record()),
          new String(receipt.outcome(), StandardCharsets.UTF_8),
          Base64Url.encode(receipt.header()),
          new String(receipt.certificate(), StandardCharsets.UTF_8),
          receipt.index(),
          receipt.treeSize(),
          receipt.entriesProof().stream().map(Hash::toHex).toList(),
          receipt.resultsProof().stream().map(Hash::toHex).toList(),
          receipt.finality());
    }
  }

  private final IssueReceipt receipts;

  ReceiptController(IssueReceipt receipts) {
    this.receipts = receipts;
  }

  @Operation(
      summary = "The verified receipt of a final instruction or governance change",
      description = "Verifies offline with the genesis (Receipt.verify, `tally verify-receipt`).")
  @ApiResponse(responseCode = "200", description = "the receipt, verified by this gateway")
  @ProblemTypes({"unknown-instruction", "receipt-unavailable", "receipt-invalid"})
  @GetMapping("/{id}/receipt")
  ReceiptResponse receipt(@PathVariable String id)
      throws IssueReceipt.NotFinal, IssueReceipt.Pending, IssueReceipt.Invalid {
    RequestParameters.id("id", id, Identifiers.INSTRUCTION_ID);
    return ReceiptResponse.of(receipts.receipt(id));
  }
}
