package io.tally.ledger.blocks.web;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tally.engine.Identifiers;
import io.tally.service.web.RequestParameters;
import io.tally.service.web.openapi.ProblemTypes;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Entries by instruction id, each with its outcome, its block and the Merkle inclusion proofs of
 * the record in the block's {@code entries} root and of the outcome in its {@code results} root:
 * with the genesis, enough to check offline that the quorum certified this outcome.
 */
@Tag(name = LedgerOpenApi.CHAIN)
@ProblemTypes(LedgerOpenApi.INTERNAL_ONLY)
@RestController
@RequestMapping("/v1/entries")
class EntryController {

  /**
   * One entry. {@code record} is the log record exactly as signed (base64url); {@code outcome} is
   * the outcome record, whose bytes are the results leaf. Proofs list sibling hashes (hex) from the
   * leaf up, RFC 9162.
   */
  record EntryResponse(
      long offset,
      long height,
      int position,
      @Nullable String instructionId,
      String code,
      @Nullable Long originalOffset,
      String record,
      @JsonRawValue String outcome,
      Proof proof,
      BlockController.BlockResponse block) {}

  /** Inclusion proofs of leaf {@code index} in trees of {@code treeSize} leaves. */
  record Proof(long index, long treeSize, List<String> entries, List<String> results) {}

  /** All entries that carried one instruction id, in log order. */
  record EntriesResponse(String instructionId, List<EntryResponse> entries) {}

  private final EntryProofs proofs;

  EntryController(EntryProofs proofs) {
    this.proofs = proofs;
  }

  @Operation(
      summary = "Every committed log record that carried an instruction id, with its proofs",
      description =
          "In log order: code, record (base64url), outcome, the Merkle proofs for the entries and"
              + " results roots, and its block with the certificate.")
  @ApiResponse(responseCode = "200", description = "the entries")
  @ProblemTypes("not-found")
  @GetMapping("/{instructionId}")
  EntriesResponse entries(@PathVariable String instructionId) {
    RequestParameters.id("instructionId", instructionId, Identifiers.INSTRUCTION_ID);
    return proofs.entries(instructionId);
  }
}
