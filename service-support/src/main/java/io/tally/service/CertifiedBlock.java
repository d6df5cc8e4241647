package io.tally.service;

import io.tally.engine.BlockResult;
import java.util.List;
import java.util.Map;

/**
 * A block the replica computed and found certified, with the participants whose signatures on each
 * instruction verified (by instruction id, the first record with the id in the block; an
 * instruction signed with a key registered in the same block has none here).
 */
public record CertifiedBlock(BlockResult result, Map<String, List<String>> signers) {

  public CertifiedBlock {
    signers = Map.copyOf(signers);
  }

  /** The participants who signed the instruction {@code instructionId} in this block. */
  public List<String> signedBy(String instructionId) {
    return signers.getOrDefault(instructionId, List.of());
  }
}
