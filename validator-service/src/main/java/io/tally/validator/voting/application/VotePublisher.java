package io.tally.validator.voting.application;

import io.tally.protocol.block.Vote;

/** Writes this validator's envelopes; each call returns once the broker acknowledged it. */
public interface VotePublisher {

  /** Publishes the vote for the block at {@code height} to the votes topic. */
  void vote(long height, Vote vote);

  /** Writes a cut marker for {@code height} to the log. */
  void cut(long height);
}
