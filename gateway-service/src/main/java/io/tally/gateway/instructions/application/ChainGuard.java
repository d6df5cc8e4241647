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
  private final Clock clock;
  private final TreeMap<Position, Sealed> pending = new TreeMap<>();
  // Instructions a failed rewrite did not seal: written first at the next reopening.
  private final List<byte[]> carried = new ArrayList<>();
  // Epoch -> how many records this process sealed in it.
  private final Map<Long, Long> sealedCount = new HashMap<>();
  private long currentEpoch;
  private long newestEpochSeen = -1;
  private long firstOwnOffset = -1;
  private @Nullable String contended;
  private @Nullable String reopenDue;
  private long foreignRecords;
  private long reopened;
  private long rewritten;

  /**
   * @param producer this gateway's instance id
   * @param epoch the epoch its log writer starts in
   */
  public ChainGuard(String producer, long epoch, Clock clock) {
    this.producer = producer;
    this.currentEpoch = epoch;
    this.clock = clock;
  }

  /** The sequencer sealed {@code instruction} as record {@code seq} of {@code epoch}. */
  public synchronized void sealed(long epoch, long seq, Hash hash, byte[] instruction) {
    pending.put(new Position(epoch, seq), new Sealed(hash, instruction));
    sealedCount.merge(epoch, 1L, Long::sum);
  }

  /**
   * The broker refused a record of a request: the client was told it may or may not be written, so
   * it is no promise to keep.
   */
  public synchronized void failed(long epoch, long seq) {
    pending.remove(new Position(epoch, seq));
  }

  /**
   * Writing acknowledged instructions again failed: the records sealed stay pending, {@code
   * notSealed} is kept, and all are written again in a newer epoch.
   */
  public synchronized void rewriteFailed(List<byte[]> notSealed) {
    carried.addAll(notSealed);
    reopenDue = "writing acknowledged instructions again failed";
  }

  /** Throws while another process writes under this gateway's producer id. */
  public synchronized void requireUncontended() throws Contended {
    if (contended != null) {
      throw new Contended(contended);
    }
  }

  /**
   * The reopening the sequencer should carry out now, if one is due: the new epoch and every
   * instruction sealed and not applied yet, oldest first. Called on the sequencer thread, so that
   * nothing is sealed between choosing what to write again and the switch to the new epoch.
   */
  public synchronized Optional<Reopen> takeReopen() {
    String why = reopenDue;
    if (why == null) {
      return Optional.empty();
    }
    reopenDue = null;
    long above = Math.max(newestEpochSeen, currentEpoch);
    if (above == Long.MAX_VALUE) {
      log.error("ALARM: {}; no epoch above {} exists to write in again", why, above);
      return Optional.empty();
    }
    long epoch = Math.max(clock.millis(), above + 1);
    List<byte[]> again = new ArrayList<>(carried.size() + pending.size());
    again.addAll(carried);
    pending.values().forEach(entry -> again.add(entry.instruction()));
    carried.clear();
    pending.clear(); // sealed again in the new epoch, reported through sealed()
    currentEpoch = epoch;
    reopened++;
    rewritten += again.size();
    log.error(
        "ALARM: {}: opening epoch {} and writing again the {} instructions acknowledged and not"
            + " yet applied",
        why,
        epoch,
        again.size());
    return Optional.of(new Reopen(epoch, again));
  }

  /**
   * Follows the block's records of this producer (called on the replica's thread). The replica
   * reports only records whose seal verified: forged bytes under this id are nobody's writing.
   */
  public synchronized void certified(CertifiedBlock block) {
    if (block.watched().isEmpty()) {
      return;
    }
    Map<Long, Outcome> outcomes = new HashMap<>();
    for (Outcome outcome : block.result().outcomes()) {
      outcomes.put(outcome.offset(), outcome);
    }
    for (CertifiedBlock.ChainRecord record : block.watched()) {
      Outcome outcome = outcomes.get(record.offset());
      if (outcome == null) {
        continue;
      }
      newestEpochSeen = Math.max(newestEpochSeen, record.epoch());
      Position at = new Position(record.epoch(), record.seq());
      Sealed own = pending.get(at);
      if (own != null && own.hash().equals(record.hash())) {
        if (firstOwnOffset < 0) {
          firstOwnOffset = record.offset();
        }
        if (outcome.code() == Code.RECORD_REPLAYED) {
          reopenDue = "the network refused this gateway's records of epoch " + record.epoch();
        } else {
          pending.remove(at); // applied (or rejected by a rule): the promise is kept
          if (!pending.headMap(at).isEmpty()) {
            // Records sealed before this one never reached the log (the broker lost them).
            reopenDue =
                "records this gateway sealed before seq " + at.seq() + " are not in the log";
          }
        }
      } else if (!sealedHere(record, own) && firstOwnOffset >= 0) {
        foreign(record);
      }
      // Before this process's first record, records under its id are its earlier runs' (or, if
      // another process is writing, its records will be refused and reopen above them).
    }
  }

  /** A copy of a record this process sealed and the network already applied. */
  private boolean sealedHere(CertifiedBlock.ChainRecord record, @Nullable Sealed own) {
    return own == null && record.seq() < sealedCount.getOrDefault(record.epoch(), 0L);
  }

  private void foreign(CertifiedBlock.ChainRecord record) {
    foreignRecords++;
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
