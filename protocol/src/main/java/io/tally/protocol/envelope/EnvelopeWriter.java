package io.tally.protocol.envelope;

import io.tally.protocol.codec.Hash;
import io.tally.protocol.keys.SigningKey;

/**
 * A producer instance's side of the chain: seals bodies with consecutive sequence numbers, each
 * naming the hash of the one before. A producer that restarts does not try to remember its counter:
 * it opens a new, larger epoch (for example its start time in milliseconds), and readers accept a
 * new epoch only from {@code seq} 0. Not thread-safe: one writer per producing thread, or external
 * ordering. One writer per stream: a producer writing to two streams (a validator's cut markers and
 * votes) keeps two chains.
 */
public final class EnvelopeWriter {

  private final String producer;
  private final Stream stream;
  private final long epoch;
  private final SigningKey key;
  private long nextSeq;
  private Hash prev = Hash.ZERO;

  /** The chain of {@code producer}'s records on {@code stream} in {@code epoch}. */
  public EnvelopeWriter(String producer, Stream stream, long epoch, SigningKey key) {
    this.producer = producer;
    this.stream = stream;
    this.epoch = epoch;
    this.key = key;
  }

  /** Seals the next record of this producer's chain. */
  public Envelope next(EnvelopeType type, byte[] body) {
    Envelope envelope = Envelope.seal(type, stream, producer, epoch, nextSeq, prev, body, key);
    nextSeq++;
    prev = envelope.hash();
    return envelope;
  }

  public Stream stream() {
    return stream;
  }

  public long epoch() {
    return epoch;
  }
}
