package io.tally.protocol.envelope;

import io.tally.protocol.codec.Hash;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reader's view of every producer's chain on one {@link Stream}: for each verified envelope of
 * that stream, in log order, says whether it continues its producer's chain. A reader keeps one per
 * stream it reads and feeds it only envelopes that {@link Envelope#parse} admitted for that stream,
 * so a record copied from another stream never moves a chain here. Deterministic (state is ordered
 * by producer id) and restorable from {@link #positions()}, so validators can snapshot it.
 *
 * <p>{@link Check#NEXT}, {@link Check#GAP} and {@link Check#FORK} move the chain to the record
 * checked (after a gap or fork the reader raises an alarm once, then follows the producer again);
 * {@link Check#DUPLICATE} and {@link Check#STALE_EPOCH} leave it unchanged.
 */
public final class ProducerSequences {

  /** Where one producer's chain stands: its epoch, the next expected seq and the last hash. */
  public record Position(long epoch, long nextSeq, Hash last) {}

  /** The verdict on one envelope. */
  public enum Check {
    /** The next record of the chain: {@code seq} and {@code prev} as expected. */
    NEXT,
    /** {@code seq} lies ahead of the next expected one: records are missing. */
    GAP,
    /** The expected {@code seq}, but {@code prev} names another predecessor. */
    FORK,
    /** A {@code seq} already seen in this epoch: a replay or duplicate delivery. */
    DUPLICATE,
    /** An epoch older than the producer's current one. */
    STALE_EPOCH
  }

  private final TreeMap<String, Position> positions;

  public ProducerSequences() {
    this.positions = new TreeMap<>();
  }

  /** Restores the positions saved by {@link #positions()}. */
  public ProducerSequences(Map<String, Position> saved) {
    this.positions = new TreeMap<>(saved);
  }

  /** Checks {@code envelope} against its producer's chain and moves the chain as documented. */
  public Check check(Envelope envelope) {
    Position at = positions.get(envelope.producer());
    Check check;
    if (at == null || envelope.epoch() > at.epoch()) {
      // A producer's first record, or its first in a new epoch, starts from seq 0.
      check = envelope.seq() == 0 && envelope.prev().equals(Hash.ZERO) ? Check.NEXT : Check.GAP;
    } else if (envelope.epoch() < at.epoch()) {
      return Check.STALE_EPOCH;
    } else if (envelope.seq() < at.nextSeq()) {
      return Check.DUPLICATE;
    } else if (envelope.seq() > at.nextSeq()) {
      check = Check.GAP;
    } else {
      check = envelope.prev().equals(at.last()) ? Check.NEXT : Check.FORK;
    }
    positions.put(
        envelope.producer(), new Position(envelope.epoch(), envelope.seq() + 1, envelope.hash()));
    return check;
  }

  /** Every producer's position, ordered by producer id (unmodifiable view). */
  public Map<String, Position> positions() {
    return Collections.unmodifiableMap(positions);
  }
}
