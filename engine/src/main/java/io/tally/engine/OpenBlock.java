package io.tally.engine;

import io.tally.engine.BlockResult.SequenceAnomaly;
import io.tally.protocol.codec.Hash;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The block being applied: what it has gathered so far towards its {@link BlockResult}, the segment
 * of records not applied yet (their seals are admitted together, ADR 0011), and which record is
 * being applied (for the postings it journals).
 */
final class OpenBlock {

  final long height;
  long firstOffset;
  long lastOffset;

  /** Whether an accepted cut for {@link #height} was applied; later ones are ignored. */
  boolean cutSeen;

  final List<Outcome> outcomes;
  final List<Hash> entryLeaves;
  final List<PreVerified> segment = new ArrayList<>();
  final List<SequenceAnomaly> anomalies = new ArrayList<>();
  final List<Posting> postings = new ArrayList<>();
  final List<AccountView> changedAccounts = new ArrayList<>();

  /** The offset of the record being applied. */
  long currentOffset;

  /** The instruction id of the record being applied, once it claimed it; else null. */
  @Nullable String currentId;

  /** Records other than cut markers applied to the state so far. */
  int appliedOtherThanCuts;

  OpenBlock(long height, int expectedSize) {
    this.height = height;
    this.outcomes = new ArrayList<>(expectedSize);
    this.entryLeaves = new ArrayList<>(expectedSize);
  }

  /** Records offered to the block: applied, and waiting in the segment. */
  int size() {
    return outcomes.size() + segment.size();
  }
}
