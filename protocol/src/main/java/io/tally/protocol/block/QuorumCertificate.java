package io.tally.protocol.block;

import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.genesis.Committee;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.jws.VerifiedJws;
import io.tally.protocol.keys.VerificationKey;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A quorum certificate: a general-serialization JWS over canonical block header bytes carrying the
 * signatures of at least {@code q} distinct validators, each exactly as it appeared in that
 * validator's {@link Vote}. Anyone holding the genesis can check it offline.
 */
public final class QuorumCertificate {

  private final GeneralJws jws;

  private QuorumCertificate(GeneralJws jws) {
    this.jws = jws;
  }

  /**
   * Combines votes over one header into a certificate. The caller has verified the votes; the
   * result is checked again by whoever relies on it.
   *
   * @throws IllegalArgumentException if the votes sign different bytes
   */
  public static QuorumCertificate assemble(List<Vote> votes) {
    return new QuorumCertificate(GeneralJws.combine(votes.stream().map(Vote::jws).toList()));
  }

  /** Parses a certificate's JSON. */
  public static QuorumCertificate parse(byte[] json) throws VerificationException {
    return new QuorumCertificate(GeneralJws.parse(json));
  }

  /**
   * Verifies that at least the quorum of distinct validators signed exactly {@code header}.
   *
   * @return the ids of the validators that signed, in order
   * @throws VerificationException {@link Reason#HEADER_MISMATCH} if the certificate is over other
   *     bytes, {@link Reason#SIGNER_UNKNOWN} for a key of no validator, {@link
   *     Reason#SIGNER_DUPLICATE} for a validator signing twice, {@link Reason#SIGNATURE_INVALID},
   *     or {@link Reason#QUORUM_NOT_MET} for fewer than {@code q} distinct validators
   */
  public List<String> verify(Committee validators, BlockHeader header)
      throws VerificationException {
    if (!MessageDigest.isEqual(jws.unverifiedPayload(), header.toBytes())) {
      throw new VerificationException(
          Reason.HEADER_MISMATCH, "certificate signs another block header");
    }
    // Cheap: refuse an obvious shortfall before any signature arithmetic.
    if (jws.signatureCount() < validators.threshold()) {
      throw quorumNotMet(jws.signatureCount(), validators.threshold());
    }
    VerifiedJws verified = jws.verify(JwsType.BLOCK_HEADER, validators);
    List<String> signers = new ArrayList<>();
    for (VerificationKey key : verified.signers()) {
      // Keys are distinct (GeneralJws refuses repeats) and one validator holds one key.
      signers.add(
          validators
              .memberByKeyId(key.keyId())
              .orElseThrow(() -> new AssertionError("resolved key without its member"))
              .id());
    }
    if (signers.size() < validators.threshold()) {
      throw quorumNotMet(signers.size(), validators.threshold());
    }
    return signers;
  }

  /** The header bytes the certificate signs, before verification. */
  public byte[] unverifiedHeaderBytes() {
    return jws.unverifiedPayload();
  }

  public byte[] toBytes() {
    return jws.toBytes();
  }

  private static VerificationException quorumNotMet(int distinct, int quorum) {
    return new VerificationException(
        Reason.QUORUM_NOT_MET, distinct + " distinct validators signed, " + quorum + " needed");
  }
}
