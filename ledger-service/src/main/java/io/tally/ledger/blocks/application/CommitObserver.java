package io.tally.ledger.blocks.application;

import io.tally.engine.BlockResult;

/** Told about every committed block (metrics, logs). */
public interface CommitObserver {

  /**
   * Called after {@code block}'s transaction committed.
   *
   * @param appendToCommitMs milliseconds from the broker's append time of the block's last record
   *     to the commit
   * @param writeMs milliseconds the block's transaction took, from its start to its commit
   */
  void committed(BlockResult block, long appendToCommitMs, long writeMs);

  CommitObserver NONE = (block, latency, write) -> {};
}
