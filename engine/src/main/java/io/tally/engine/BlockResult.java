package io.tally.engine;

import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.envelope.ProducerSequences;
import java.util.List;

/**
 * What executing one block gives: the header every honest validator signs (with the entries and
 * results roots and the new state digest), the outcome of every record in log order, and the
 * producer chain anomalies seen in the block (for alarms; they do not change outcomes).
 */
public record BlockResult(
    BlockHeader header, List<Outcome> outcomes, List<SequenceAnomaly> sequenceAnomalies) {

  public BlockResult {
    outcomes = List.copyOf(outcomes);
    sequenceAnomalies = List.copyOf(sequenceAnomalies);
  }

  /** A record whose producer chain showed a gap or a fork. */
  public record SequenceAnomaly(long offset, String producer, ProducerSequences.Check check) {}
}
