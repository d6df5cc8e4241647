package io.tally.protocol.envelope;

import java.util.Optional;

/**
 * The stream an envelope belongs to: a kind of topic and a shard. Every envelope binds its stream
 * under its signature ({@code "stream"} and {@code "shard"} members), and a reader states the
 * stream it reads, so a record the broker copied into another topic or partition is refused before
 * it touches any producer's chain. Each envelope type travels on exactly one kind of stream.
 */
public record Stream(Kind kind, int shard) {

  /** The kinds of topic, with the envelope types each carries. */
  public enum Kind {
    /** {@code tally.log}: what the network orders and executes. */
    LOG("log"),
    /** {@code tally.votes}: validators' votes on block headers. */
    VOTES("votes"),
    /**
     * {@code tally.finalized}: ledgers' finality events (hints; the certificate is what counts).
     */
    FINALIZED("finalized");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    /** Whether envelopes of {@code type} travel on this kind of stream. */
    public boolean carries(EnvelopeType type) {
      return of(type) == this;
    }

    public static Optional<Kind> fromWireName(String name) {
      for (Kind kind : values()) {
        if (kind.wireName.equals(name)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }

    /** The kind of stream {@code type} travels on. */
    public static Kind of(EnvelopeType type) {
      return switch (type) {
        case INSTRUCTION, GOVERNANCE, CUT -> LOG;
        case VOTE -> VOTES;
        case FINALIZED -> FINALIZED;
      };
    }
  }

  public Stream {
    if (shard < 0) {
      throw new IllegalArgumentException("shard must not be negative, got " + shard);
    }
  }

  /** The log of {@code shard}. */
  public static Stream log(int shard) {
    return new Stream(Kind.LOG, shard);
  }

  /** The votes of {@code shard}. */
  public static Stream votes(int shard) {
    return new Stream(Kind.VOTES, shard);
  }

  /** The finality events of {@code shard}. */
  public static Stream finalized(int shard) {
    return new Stream(Kind.FINALIZED, shard);
  }

  /** Whether envelopes of {@code type} travel on this stream. */
  public boolean carries(EnvelopeType type) {
    return kind.carries(type);
  }

  @Override
  public String toString() {
    return kind.wireName + "/" + shard;
  }
}
