package io.tally.engine;

import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.envelope.ProducerSequences;
import java.util.List;

/**
 * What executing one block gives: the header every honest validator signs (with the entries and
 * results roots and the new state digest), the outcome of every record in log order, the producer
 * chain anomalies seen in the block (for alarms; they do not change outcomes), and for a ledger the
 * movements applied and the accounts the block changed, with their balances after it, in opening
 * order.
 */
public record BlockResult(
    BlockHeader header,
    List<Outcome> outcomes,
    List<SequenceAnomaly> sequenceAnomalies,
    List<Posting> postings,
    List<AccountView> changedAccounts) {

  public BlockResult {
    outcomes = List.copyOf(outcomes);
    sequenceAnomalies = List.copyOf(sequenceAnomalies);
    postings = List.copyOf(postings);
    changedAccounts = List.copyOf(changedAccounts);
  }

  /** A record whose producer chain showed a gap or a fork. */
  public record SequenceAnomaly(long offset, String producer, ProducerSequences.Check check) {}
}
