package io.tally.service;

import io.tally.engine.BlockResult;
import io.tally.protocol.codec.Hash;
import java.util.List;
import java.util.Map;

/**
 * A block the replica computed and found certified, with the participants whose signatures on each
 * instruction verified (by instruction id, the first record with the id in the block; an
 * instruction signed with a key registered in the same block has none here).
 */
public record CertifiedBlock(
    BlockResult result, Map<String, List<String>> signers, List<ChainRecord> watched) {

  /**
   * A record of the block whose envelope names the producer the replica watches ({@link
   * CertifiedReplica#watchProducer}), in log order; its outcome is the block's at {@code offset}.
   */
  public record ChainRecord(long offset, long epoch, long seq, Hash hash) {}

  public CertifiedBlock {
    signers = Map.copyOf(signers);
    watched = List.copyOf(watched);
  }

  /** The participants who signed the instruction {@code instructionId} in this block. */
  public List<String> signedBy(String instructionId) {
    return signers.getOrDefault(instructionId, List.of());
  }
}
