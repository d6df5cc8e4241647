package io.tally.gateway.instructions.application;

import io.tally.engine.Code;
import io.tally.engine.Outcome;
import io.tally.protocol.codec.Hash;
import io.tally.service.CertifiedBlock;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the promise of every 202: follows this gateway's own chain in the certified log and makes
 * sure that every instruction it acknowledged is applied by the network.
 *
 * <p>Another process writing under this gateway's producer id (a second process started with the
 * same instance key, or a leaked key) can make the gateway's epoch stale, so that the network
 * refuses everything it writes afterwards as a replay. The guard watches the records of its
 * producer id in each certified block:
 *
 * <ul>
 *   <li>a record it did not seal is an alarm: logged with the other epoch, counted, and reported by
 *       health; from then on the gateway takes no new instructions ({@link Contended}), so that two
 *       processes with one key do not fight over the chain;
 *   <li>a record of its current epoch that the network refused as {@link Code#RECORD_REPLAYED}
 *       makes it open a new epoch above every epoch seen under its id and write again every
 *       instruction it sealed that no certified block applied yet (the network applies an id once,
 *       so a copy that did land changes nothing).
 * </ul>
 *
 * <p>Thread safety: the log's sequencer thread reports what it sealed, the replica's thread reports
 * certified blocks, request threads ask {@link #requireUncontended()}; all under this object's
 * lock, each call short.
 */
public final class ChainGuard {

  private static final Logger log = LoggerFactory.getLogger(ChainGuard.class);

  /** Refused: another process writes under this gateway's producer id. */
  public static final class Contended extends Exception {
    private static final long serialVersionUID = 1L;

    Contended(String message) {
      super(message);
    }
  }

  /** A new epoch to open, and the instructions to write again in it, oldest first. */
  public record Reopen(long epoch, List<byte[]> instructions) {}

  /** One record this gateway sealed and no certified block applied yet. */
  @SuppressWarnings("ArrayRecordComponent") // the bytes to write again; never compared
  private record Sealed(Hash hash, byte[] instruction) {}

  private record Position(long epoch, long seq) implements Comparable<Position> {
    @Override
    public int compareTo(Position other) {
      int byEpoch = Long.compare(epoch, other.epoch);
      return byEpoch != 0 ? byEpoch : Long.compare(seq, other.seq);
    }
  }

  private final String producer;
  private final long startEpoch;
  private final Clock clock;
  private final TreeMap<Position, Sealed> pending = new TreeMap<>();
  // Epoch -> how many records this process sealed in it.
  private final Map<Long, Long> sealedCount = new HashMap<>();
  private long currentEpoch;
  private long newestForeignEpoch = -1;
  private long firstOwnOffset = -1;
  private @Nullable String contended;
  private @Nullable Reopen due;
  private long foreignRecords;
  private long reopened;
  private long rewritten;

  /**
   * @param producer this gateway's instance id
   * @param epoch the epoch its log writer starts in
   */
  public ChainGuard(String producer, long epoch, Clock clock) {
    this.producer = producer;
    this.startEpoch = epoch;
    this.currentEpoch = epoch;
    this.clock = clock;
  }

  /** The sequencer sealed {@code instruction} as record {@code seq} of {@code epoch}. */
  public synchronized void sealed(long epoch, long seq, Hash hash, byte[] instruction) {
    pending.put(new Position(epoch, seq), new Sealed(hash, instruction));
    sealedCount.merge(epoch, 1L, Long::sum);
  }

  /**
   * The broker refused that record: the client was told it may or may not be written, so it is no
   * promise to keep.
   */
  public synchronized void failed(long epoch, long seq) {
    pending.remove(new Position(epoch, seq));
  }

  /**
   * A write of the instructions to be written again failed: they stay pending and are written again
   * in a newer epoch.
   */
  public synchronized void rewriteFailed() {
    scheduleReopen("writing acknowledged instructions again failed");
  }

  /** Throws while another process writes under this gateway's producer id. */
  public synchronized void requireUncontended() throws Contended {
    if (contended != null) {
      throw new Contended(contended);
    }
  }

  /** The reopening the sequencer should carry out now, if one is due. */
  public synchronized Optional<Reopen> takeReopen() {
    Reopen reopen = due;
    due = null;
    return Optional.ofNullable(reopen);
  }

  /** Follows the block's records of this producer (called on the replica's thread). */
  public synchronized void certified(CertifiedBlock block) {
    if (block.watched().isEmpty()) {
      return;
    }
    Map<Long, Outcome> outcomes = new HashMap<>();
    for (Outcome outcome : block.result().outcomes()) {
      outcomes.put(outcome.offset(), outcome);
    }
    boolean refused = false;
    for (CertifiedBlock.ChainRecord record : block.watched()) {
      Outcome outcome = outcomes.get(record.offset());
      if (outcome == null || outcome.code() == Code.SIGNATURE_INVALID) {
        continue; // not sealed by this producer's key: nobody wrote under its id
      }
      Position at = new Position(record.epoch(), record.seq());
      Sealed own = pending.get(at);
      if (own != null && own.hash().equals(record.hash())) {
        if (firstOwnOffset < 0) {
          firstOwnOffset = record.offset();
        }
        if (outcome.code() == Code.RECORD_REPLAYED) {
          refused |= record.epoch() == currentEpoch;
        } else {
          pending.remove(at); // applied (or rejected by a rule): the promise is kept
        }
      } else if (!sealedHere(record, own) && !earlierRun(record)) {
        foreign(record);
      }
    }
    if (refused) {
      scheduleReopen("the network refused this gateway's records of epoch " + currentEpoch);
    }
  }

  /** A copy of a record this process sealed and the network already applied. */
  private boolean sealedHere(CertifiedBlock.ChainRecord record, @Nullable Sealed own) {
    return own == null && record.seq() < sealedCount.getOrDefault(record.epoch(), 0L);
  }

  /** A record of an earlier run of this gateway, before this process wrote anything. */
  private boolean earlierRun(CertifiedBlock.ChainRecord record) {
    return record.epoch() < startEpoch && (firstOwnOffset < 0 || record.offset() < firstOwnOffset);
  }

  private void foreign(CertifiedBlock.ChainRecord record) {
    foreignRecords++;
    newestForeignEpoch = Math.max(newestForeignEpoch, record.epoch());
    contended =
        "another process writes as "
            + producer
            + " (epoch "
            + record.epoch()
            + ", seq "
            + record.seq()
            + " at log offset "
            + record.offset()
            + "; this process writes in epoch "
            + currentEpoch
            + "): every gateway replica needs its own instance key; this one takes no new"
            + " instructions until it is restarted with its own key";
    log.error("ALARM: {}", contended);
  }

  private void scheduleReopen(String why) {
    if (newestForeignEpoch == Long.MAX_VALUE || currentEpoch == Long.MAX_VALUE) {
      log.error("ALARM: {}; no epoch above {} exists to write in again", why, newestForeignEpoch);
      return;
    }
    long epoch = Math.max(clock.millis(), Math.max(newestForeignEpoch, currentEpoch) + 1);
    List<byte[]> again = new ArrayList<>(pending.size());
    pending.values().forEach(entry -> again.add(entry.instruction()));
    pending.clear(); // sealed again in the new epoch, reported through sealed()
    currentEpoch = epoch;
    due = new Reopen(epoch, again);
    reopened++;
    rewritten += again.size();
    log.error(
        "ALARM: {}: opening epoch {} and writing again the {} instructions acknowledged and not"
            + " yet applied",
        why,
        epoch,
        again.size());
  }

  /** Why this gateway takes no new instructions, or null. */
  public synchronized @Nullable String contended() {
    return contended;
  }

  /** Records under this gateway's producer id that it did not seal. */
  public synchronized long foreignRecords() {
    return foreignRecords;
  }

  /** Epochs opened because the network refused this gateway's records. */
  public synchronized long reopened() {
    return reopened;
  }

  /** Instructions written again in a new epoch. */
  public synchronized long rewritten() {
    return rewritten;
  }

  /** Records sealed and not applied by a certified block yet. */
  public synchronized int pending() {
    return pending.size();
  }

  public synchronized long currentEpoch() {
    return currentEpoch;
  }
}
