package io.tally.protocol.jws;

import io.tally.protocol.keys.VerificationKey;
import java.util.List;

/**
 * The result of a successful verification: the kind, the payload bytes exactly as signed, and the
 * keys whose signatures verified, in the order they appear. Only the verifiers in this package
 * create one.
 */
public final class VerifiedJws {

  private final JwsType type;
  private final byte[] payload;
  private final List<VerificationKey> signers;

  VerifiedJws(JwsType type, byte[] payload, List<VerificationKey> signers) {
    this.type = type;
    this.payload = payload;
    this.signers = List.copyOf(signers);
  }

  public JwsType type() {
    return type;
  }

  /** A copy of the signed payload bytes. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The keys that signed, distinct, in order of appearance. */
  public List<VerificationKey> signers() {
    return signers;
  }

  @Override
  public String toString() {
    return "VerifiedJws["
        + type
        + ", "
        + payload.length
        + " payload bytes, signers "
        + signers
        + "]";
  }
}
