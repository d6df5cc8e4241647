package io.tally.validator.voting.application;

import io.tally.engine.BlockResult;

/** Told about every block the validator voted for (metrics, logs). */
public interface BlockObserver {

  /**
   * Called after the vote for {@code result} was acknowledged.
   *
   * @param result the block
   * @param voteLatencyMs milliseconds from the broker's append time of its last record to the
   *     acknowledged vote
   */
  void voted(BlockResult result, long voteLatencyMs);

  BlockObserver NONE = (result, latency) -> {};
}
