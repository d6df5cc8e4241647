package io.tally.protocol.keys;

import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.codec.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key: 32 bytes (RFC 8032 encoding), checked on import to be a valid point of the
 * prime-order subgroup, so that small-order keys, which "verify" forged signatures, never enter the
 * system. The decoded point is kept, so each verification skips point decompression.
 *
 * <p>Its key id is the RFC 7638 JWK thumbprint; two keys are equal when their bytes are.
 */
public final class VerificationKey {

  /** Encoded key length in bytes. */
  public static final int BYTES = Ed25519.PUBLIC_KEY_SIZE;

  /** Signature length in bytes. */
  public static final int SIGNATURE_BYTES = Ed25519.SIGNATURE_SIZE;

  private final byte[] encoded;
  private final Ed25519.PublicPoint point;
  private final String keyId;

  private VerificationKey(byte[] encoded, Ed25519.PublicPoint point) {
    this.encoded = encoded;
    this.point = point;
    this.keyId = thumbprint(encoded);
  }

  /**
   * Imports the 32-byte encoding of a public key.
   *
   * @throws VerificationException {@link Reason#KEY_INVALID} for a wrong length, a point not on the
   *     curve, or a point of small order
   */
  public static VerificationKey of(byte[] encoded) throws VerificationException {
    if (encoded.length != BYTES) {
      throw new VerificationException(
          Reason.KEY_INVALID, "an Ed25519 public key has 32 bytes, got " + encoded.length);
    }
    byte[] copy = encoded.clone();
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(copy, 0);
    if (point == null) {
      throw new VerificationException(
          Reason.KEY_INVALID, "not a valid Ed25519 public key of full order");
    }
    return new VerificationKey(copy, point);
  }

  /** A copy of the 32-byte encoding. */
  public byte[] toBytes() {
    return encoded.clone();
  }

  /** The RFC 7638 thumbprint (SHA-256, base64url): the {@code kid} of this key everywhere. */
  public String keyId() {
    return keyId;
  }

  /** The public JWK: {@code {"kty":"OKP","crv":"Ed25519","x":"..."}} with its {@code kid}. */
  public Jwk toJwk() {
    return new Jwk(this);
  }

  /**
   * Verifies an Ed25519 signature (RFC 8032, strict: non-canonical scalars and points are refused
   * by Bouncy Castle) over {@code data[offset, offset + length)}.
   *
   * @throws VerificationException {@link Reason#SIGNATURE_INVALID} unless it verifies
   */
  public void verify(byte[] data, int offset, int length, byte[] signature)
      throws VerificationException {
    if (signature.length != SIGNATURE_BYTES
        || !Ed25519.verify(signature, 0, point, data, offset, length)) {
      throw new VerificationException(
          Reason.SIGNATURE_INVALID, "signature does not verify for key " + keyId);
    }
  }

  /** {@link #verify(byte[], int, int, byte[])} over all of {@code data}. */
  public void verify(byte[] data, byte[] signature) throws VerificationException {
    verify(data, 0, data.length, signature);
  }

  private static String thumbprint(byte[] encoded) {
    // RFC 7638 section 3.2: the required members in lexicographic order, no whitespace.
    String canonical =
        new JsonWriter()
            .beginObject()
            .member("crv", "Ed25519")
            .member("kty", "OKP")
            .member("x", Base64Url.encode(encoded))
            .endObject()
            .toJson();
    return Base64Url.encode(Sha256.of(canonical.getBytes(StandardCharsets.US_ASCII)).toBytes());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VerificationKey that && MessageDigest.isEqual(encoded, that.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "VerificationKey[kid=" + keyId + "]";
  }
}
