package io.tally.engine;

import io.tally.engine.BlockResult.SequenceAnomaly;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.ProducerSequences;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The apply step's order: blocks, their segments, and each record in log order. Opens a block,
 * gathers records into segments that end at a cut marker (or at the block's last record), admits
 * the seals of a segment together (ADR 0011), applies each record (log time, expiries, its
 * producer's chain, then the cut rule or {@link Entries}), and closes the block into its header
 * (DESIGN section 5).
 */
final class Blocks {

  private final Genesis genesis;
  private final Rules rules;
  private final int shard;
  private final EngineState state;
  private final Entries entries;
  private final Settlements settlements;
  private @Nullable OpenBlock open;

  Blocks(
      Genesis genesis,
      Rules rules,
      int shard,
      EngineState state,
      Entries entries,
      Settlements settlements) {
    this.genesis = genesis;
    this.rules = rules;
    this.shard = shard;
    this.state = state;
    this.entries = entries;
    this.settlements = settlements;
  }

  /** See {@link Engine#apply}. */
  BlockResult apply(List<PreVerified> block) {
    if (block.isEmpty() || block.size() > rules.blockEntriesMax()) {
      throw new IllegalArgumentException(
          "a block has 1 to " + rules.blockEntriesMax() + " records, got " + block.size());
    }
    if (open != null) {
      throw new IllegalArgumentException("a block opened by offer() is unfinished");
    }
    OpenBlock opened = openBlock(block.size());
    for (PreVerified entry : block) {
      opened.segment.add(entry);
      if (entry instanceof PreVerified.Cut) {
        applySegment(opened);
      }
    }
    if (!opened.segment.isEmpty()) {
      applySegment(opened);
    }
    return closeBlock(opened);
  }

  /** See {@link Engine#offer}. */
  Optional<BlockResult> offer(PreVerified entry) {
    OpenBlock block = open != null ? open : openBlock(16);
    block.segment.add(entry);
    boolean cutMarker = entry instanceof PreVerified.Cut;
    if (!cutMarker && block.size() < rules.blockEntriesMax()) {
      return Optional.empty();
    }
    Outcome last = applySegment(block);
    if ((cutMarker && last.code().accepted()) || block.outcomes.size() >= rules.blockEntriesMax()) {
      return Optional.of(closeBlock(block));
    }
    return Optional.empty();
  }

  /** The block {@link #offer} has open, if any. */
  @Nullable OpenBlock open() {
    return open;
  }

  private OpenBlock openBlock(int expectedSize) {
    state.changes.start(state.accountsBySeq.size());
    OpenBlock block = new OpenBlock(state.height + 1, expectedSize);
    open = block;
    return block;
  }

  /** Admits the seals of the block's pending segment, applies its records; the last outcome. */
  private Outcome applySegment(OpenBlock block) {
    List<PreVerified> segment = block.segment;
    admitSeals(segment);
    @Nullable Outcome last = null;
    for (PreVerified entry : segment) {
      last = applyEntry(block, entry);
      if (!(entry instanceof PreVerified.Cut)) {
        block.appliedOtherThanCuts++;
      }
    }
    segment.clear();
    if (last == null) {
      throw new IllegalStateException("an empty segment");
    }
    return last;
  }

  /**
   * The network's rule for envelope seals (ADR 0011): a record is authentic when its signature
   * verifies, or when a later authentic record of the same segment names its exact bytes as {@code
   * prev} with the same producer, epoch and the next sequence number (its producer signed their
   * hash). Walking the segment backwards, each producer's last record is checked and vouches for
   * the chain before it, so an honest producer costs one verification per segment instead of one
   * per record. A record that is neither is refused as {@link Code#SIGNATURE_INVALID}, as a direct
   * check would refuse it: it becomes {@link PreVerified.Refused}.
   */
  private void admitSeals(List<PreVerified> segment) {
    Set<Link> vouched = new HashSet<>();
    for (int i = segment.size() - 1; i >= 0; i--) {
      PreVerified entry = segment.get(i);
      Envelope envelope = entry.envelopeOrNull();
      if (envelope == null) {
        continue;
      }
      if (entry.sealPending()
          && !vouched.contains(
              new Link(envelope.producer(), envelope.epoch(), envelope.seq(), envelope.hash()))) {
        try {
          envelope.verifySeal(genesis.instances());
        } catch (VerificationException e) {
          Code code = PreVerifier.sealCode(e.reason());
          segment.set(
              i, new PreVerified.Refused(entry.offset, entry.logTime, entry.entryHash, code));
          continue;
        }
      }
      if (envelope.seq() > 0) {
        vouched.add(
            new Link(envelope.producer(), envelope.epoch(), envelope.seq() - 1, envelope.prev()));
      }
    }
  }

  /** One producer's record as the next record of its chain names it. */
  private record Link(String producer, long epoch, long seq, Hash hash) {}

  private Outcome applyEntry(OpenBlock block, PreVerified entry) {
    long now = Math.max(state.logTime, entry.logTime);
    state.logTime = now;
    block.currentOffset = entry.offset;
    block.currentId = null;
    settlements.expireReservations(block, now);
    state.forgetIds(now);
    Outcome outcome;
    Envelope envelope = entry.envelopeOrNull();
    if (envelope != null && !continuesChain(entry.offset, envelope, block.anomalies)) {
      outcome = Entries.outcome(entry, null, Code.RECORD_REPLAYED);
    } else if (entry instanceof PreVerified.Cut cut) {
      outcome = Entries.outcome(entry, null, cut(block, cut));
    } else {
      outcome = entries.apply(block, entry, now);
    }
    if (block.outcomes.isEmpty()) {
      block.firstOffset = entry.offset;
    }
    block.lastOffset = entry.offset;
    block.entryLeaves.add(entry.entryHash);
    block.outcomes.add(outcome);
    return outcome;
  }

  /** The first readable cut for the height being built counts; others are ignored. */
  private static Code cut(OpenBlock block, PreVerified.Cut cut) {
    if (!cut.readable()) {
      return Code.MALFORMED;
    }
    boolean cuts = cut.height == block.height && !block.cutSeen;
    block.cutSeen |= cuts;
    return cuts ? Code.ACCEPTED : Code.CUT_IGNORED;
  }

  private boolean continuesChain(long offset, Envelope envelope, List<SequenceAnomaly> anomalies) {
    ProducerSequences.Check check = state.sequences.check(envelope);
    switch (check) {
      case DUPLICATE, STALE_EPOCH -> {
        return false;
      }
      case GAP, FORK -> anomalies.add(new SequenceAnomaly(offset, envelope.producer(), check));
      case NEXT -> {}
    }
    return true;
  }

  private BlockResult closeBlock(OpenBlock block) {
    if (block != open) {
      throw new AssertionError("closing a block that is not open");
    }
    List<Hash> resultLeaves = new ArrayList<>(block.outcomes.size());
    for (Outcome outcome : block.outcomes) {
      resultLeaves.add(MerkleTree.leafHash(outcome.toBytes()));
    }
    state.stateDigest =
        state.changes.chain(state.stateDigest, state.accountsBySeq, block.changedAccounts);
    BlockHeader header =
        new BlockHeader(
            genesis.hash(),
            shard,
            block.height,
            state.lastHeader,
            block.outcomes.size(),
            MerkleTree.root(block.entryLeaves),
            MerkleTree.root(resultLeaves),
            state.stateDigest,
            state.logTime,
            block.firstOffset,
            block.lastOffset);
    state.height = block.height;
    state.lastHeader = header.hash();
    open = null;
    return new BlockResult(
        header, block.outcomes, block.anomalies, block.postings, block.changedAccounts);
  }
}
