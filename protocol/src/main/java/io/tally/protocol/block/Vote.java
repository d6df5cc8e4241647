package io.tally.protocol.block;

import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Committee;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.jws.VerifiedJws;
import io.tally.protocol.keys.SigningKey;

/**
 * One validator's vote: a compact JWS of kind {@link JwsType#BLOCK_HEADER} whose payload is the
 * canonical header bytes. The same protected header and signature later sit in the quorum
 * certificate unchanged.
 */
public final class Vote {

  private final CompactJws jws;

  private Vote(CompactJws jws) {
    this.jws = jws;
  }

  /** A validator signs {@code header}. */
  public static Vote sign(BlockHeader header, SigningKey validatorKey) {
    return new Vote(CompactJws.sign(JwsType.BLOCK_HEADER, header.toBytes(), validatorKey));
  }

  /** Parses a vote's compact serialization. */
  public static Vote parse(byte[] ascii) throws VerificationException {
    return new Vote(CompactJws.parse(ascii));
  }

  /**
   * Verifies the vote against the validators of the genesis.
   *
   * @return who voted for which header
   * @throws VerificationException {@link Reason#SIGNER_UNKNOWN} for a key of no validator, the
   *     signature and kind reasons of {@link CompactJws#verify}, or {@link Reason#MALFORMED} when
   *     the payload is not a canonical header
   */
  public Verified verify(Committee validators) throws VerificationException {
    VerifiedJws verified = jws.verify(JwsType.BLOCK_HEADER, validators);
    Member validator =
        validators
            .memberByKeyId(verified.signers().get(0).keyId())
            .orElseThrow(() -> new AssertionError("resolved key without its member"));
    return new Verified(validator.id(), BlockHeader.fromBytes(verified.payload()));
  }

  /** The JWS, for combining votes into a certificate. */
  public CompactJws jws() {
    return jws;
  }

  public byte[] toBytes() {
    return jws.toBytes();
  }

  /** A verified vote: validator {@code validatorId} signed {@code header}. */
  public record Verified(String validatorId, BlockHeader header) {}

  /** A vote read from the votes stream, and what its signature proved. */
  public record Opened(Vote vote, Verified verified) {}

  /**
   * Opens a record of the votes stream of {@code shard}: an envelope of that stream by an instance
   * whose role may produce votes ({@link Envelope#open}), carrying a vote of a genesis validator.
   * Every reader of the votes topic opens records this way.
   *
   * @throws VerificationException the reasons of {@link Envelope#open}, {@link #parse} and {@link
   *     #verify}
   */
  public static Opened open(byte[] recordValue, Genesis genesis, int shard)
      throws VerificationException {
    Envelope envelope = Envelope.open(recordValue, genesis, Stream.votes(shard));
    Vote vote = parse(envelope.body()); // the stream carries votes only: open refused other types
    return new Opened(vote, vote.verify(genesis.validators()));
  }
}
