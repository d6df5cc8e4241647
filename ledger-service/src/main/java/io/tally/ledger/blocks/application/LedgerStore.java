package io.tally.ledger.blocks.application;

import io.tally.engine.BlockResult;
import io.tally.engine.LogRecord;
import io.tally.follower.VoteArrivals;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.codec.Hash;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The ledger's database, as the commit use case needs it. */
public interface LedgerStore {

  /** Where reading resumes: the last committed height and the offsets after it. */
  record Progress(long height, long logNextOffset, long votesNextOffset) {
    public static final Progress START = new Progress(0, 0, 0);
  }

  /** Engine state after block {@code height}; the log continues at {@code nextOffset}. */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed over once, never compared or shared
  record Snapshot(long height, long nextOffset, byte[] state) {}

  /**
   * One certified block and everything that goes with it into one transaction.
   *
   * @param records the log records of the block, in log order
   * @param snapshot the engine state right after the block ({@code Engine.snapshotLater()}: the
   *     bytes are finished when called), or null when none is due; stored after the block's
   *     transaction, possibly later (it is never needed for correctness)
   * @param finalizedEvent the outbox payload
   * @param kinds the envelope type of each record ({@code instruction}, {@code governance}, {@code
   *     cut}), in log order
   * @param votes the votes for this header the ledger read, in arrival order
   */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed over once, never compared or shared
  record CommittedBlock(
      int shard,
      BlockResult block,
      QuorumCertificate certificate,
      List<String> signers,
      List<LogRecord> records,
      long logNextOffset,
      long votesNextOffset,
      @Nullable Supplier<byte[]> snapshot,
      byte[] finalizedEvent,
      List<@Nullable String> kinds,
      List<VoteArrivals.Arrival> votes) {}

  /** Evidence of a Byzantine validator set or validator; kept for operators and auditors. */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed over once, never compared or shared
  record Evidence(
      String kind,
      long height,
      @Nullable String validator,
      String description,
      byte @Nullable [] computed,
      byte[] observed) {}

  Progress progress(int shard);

  /** The newest snapshot at or below {@code height}. */
  Optional<Snapshot> snapshotAtOrBelow(long height);

  /** The hash of the committed header at {@code height}. */
  Optional<Hash> headerHash(long height);

  /**
   * Commits the block in one transaction: header, certificate, entries with outcomes, postings,
   * balances, progress and outbox; either all of it is durable or none. Then stores the snapshot,
   * if any.
   */
  void commit(CommittedBlock block);

  void keep(Evidence evidence);
}
