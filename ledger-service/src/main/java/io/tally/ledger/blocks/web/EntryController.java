package io.tally.ledger.blocks.web;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.tally.engine.Identifiers;
import io.tally.ledger.blocks.infrastructure.persistence.BlockEntity;
import io.tally.ledger.blocks.infrastructure.persistence.BlockJpaRepository;
import io.tally.ledger.blocks.infrastructure.persistence.EntryEntity;
import io.tally.ledger.blocks.infrastructure.persistence.EntryJpaRepository;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.merkle.MerkleTree;
import io.tally.service.web.RequestParameters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Limit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Entries by instruction id, each with its outcome, its block and the Merkle inclusion proofs of
 * the record in the block's {@code entries} root and of the outcome in its {@code results} root:
 * with the genesis, enough to check offline that the quorum certified this outcome.
 */
@RestController
@RequestMapping("/v1/entries")
class EntryController {

  /** Every log record that carried the id is listed: the first accepted one is the settlement. */
  private static final int ENTRIES_PER_ID_MAX = 20;

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

  private final EntryJpaRepository entries;
  private final BlockJpaRepository blocks;

  EntryController(EntryJpaRepository entries, BlockJpaRepository blocks) {
    this.entries = entries;
    this.blocks = blocks;
  }

  @GetMapping("/{instructionId}")
  EntriesResponse entries(@PathVariable String instructionId) {
    RequestParameters.id("instructionId", instructionId, Identifiers.INSTRUCTION_ID);
    List<EntryResponse> found =
        entries
            .findByInstructionIdOrderByLogOffset(instructionId, Limit.of(ENTRIES_PER_ID_MAX))
            .stream()
            .map(this::withProofs)
            .toList();
    if (found.isEmpty()) {
      throw new NotFoundException(
          "no committed entry carries instruction id " + instructionId + " (yet)");
    }
    return new EntriesResponse(instructionId, found);
  }

  private EntryResponse withProofs(EntryEntity entry) {
    BlockEntity block =
        blocks
            .findById(entry.height())
            .orElseThrow(() -> new AssertionError("entry without its block " + entry.height()));
    List<Hash> entryLeaves = hashes(entries.entryLeaves(entry.height()));
    List<Hash> resultLeaves = hashes(entries.resultLeaves(entry.height()));
    Proof proof =
        new Proof(
            entry.position(),
            entryLeaves.size(),
            hex(MerkleTree.inclusionProof(entryLeaves, entry.position())),
            hex(MerkleTree.inclusionProof(resultLeaves, entry.position())));
    return new EntryResponse(
        entry.logOffset(),
        entry.height(),
        entry.position(),
        entry.instructionId(),
        entry.code(),
        entry.originalOffset(),
        Base64Url.encode(entry.record()),
        new String(entry.outcome(), StandardCharsets.UTF_8),
        proof,
        BlockController.BlockResponse.of(block));
  }

  private static List<Hash> hashes(List<byte[]> leaves) {
    return leaves.stream().map(Hash::of).toList();
  }

  private static List<String> hex(List<Hash> hashes) {
    return hashes.stream().map(Hash::toHex).toList();
  }
}
