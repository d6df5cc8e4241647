package io.tally.ledger.blocks.web;

import io.tally.ledger.blocks.infrastructure.persistence.BlockEntity;
import io.tally.ledger.blocks.infrastructure.persistence.BlockJpaRepository;
import io.tally.ledger.blocks.infrastructure.persistence.EntryEntity;
import io.tally.ledger.blocks.infrastructure.persistence.EntryJpaRepository;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.merkle.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Component;

/**
 * The committed entries that carried one id, each with its block and the Merkle inclusion proofs of
 * its record and outcome: for the entries API and the auditors' trail.
 */
@Component
class EntryProofs {

  /** Every log record that carried the id is listed: the first accepted one is the settlement. */
  private static final int ENTRIES_PER_ID_MAX = 20;

  private final EntryJpaRepository entries;
  private final BlockJpaRepository blocks;

  EntryProofs(EntryJpaRepository entries, BlockJpaRepository blocks) {
    this.entries = entries;
    this.blocks = blocks;
  }

  /** Every entry that carried {@code instructionId}, with proofs; 404 when none is committed. */
  EntryController.EntriesResponse entries(String instructionId) {
    List<EntryController.EntryResponse> found =
        entries
            .findByInstructionIdOrderByLogOffset(instructionId, Limit.of(ENTRIES_PER_ID_MAX))
            .stream()
            .map(this::withProofs)
            .toList();
    if (found.isEmpty()) {
      throw new NotFoundException(
          "no committed entry carries instruction id " + instructionId + " (yet)");
    }
    return new EntryController.EntriesResponse(instructionId, found);
  }

  private EntryController.EntryResponse withProofs(EntryEntity entry) {
    BlockEntity block =
        blocks
            .findById(entry.height())
            .orElseThrow(() -> new AssertionError("entry without its block " + entry.height()));
    List<Hash> entryLeaves = hashes(entries.entryLeaves(entry.height()));
    List<Hash> resultLeaves = hashes(entries.resultLeaves(entry.height()));
    EntryController.Proof proof =
        new EntryController.Proof(
            entry.position(),
            entryLeaves.size(),
            hex(MerkleTree.inclusionProof(entryLeaves, entry.position())),
            hex(MerkleTree.inclusionProof(resultLeaves, entry.position())));
    return new EntryController.EntryResponse(
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
