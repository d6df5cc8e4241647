package io.tally.protocol.jws;

import io.tally.protocol.Limits;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.keys.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A JWS in compact serialization (RFC 7515 section 7.1): {@code
 * BASE64URL(header).BASE64URL(payload).BASE64URL(signature)}, ASCII.
 *
 * <p>Parsing checks size, shape, canonical base64url and the protected header; {@link
 * #verify(JwsType, KeyResolver)} then checks kind, signer and signature over the received bytes
 * {@code header.payload}. Immutable: byte arrays are copied in and out.
 */
public final class CompactJws {

  private static final int SIGNATURE_CHARS = 86; // 64 bytes in unpadded base64url
  private static final int HEADER_CHARS_MAX = (Limits.PROTECTED_HEADER_BYTES_MAX * 4 + 2) / 3;

  private final byte[] ascii;
  private final int headerEnd;
  private final int payloadEnd;
  private final ProtectedHeader header;
  private final byte[] payload;
  private final byte[] signature;

  private CompactJws(
      byte[] ascii,
      int headerEnd,
      int payloadEnd,
      ProtectedHeader header,
      byte[] payload,
      byte[] signature) {
    this.ascii = ascii;
    this.headerEnd = headerEnd;
    this.payloadEnd = payloadEnd;
    this.header = header;
    this.payload = payload;
    this.signature = signature;
  }

  /** Signs {@code payload} as an object of kind {@code type}, naming the key by its id. */
  public static CompactJws sign(JwsType type, byte[] payload, SigningKey key) {
    return sign(ProtectedHeader.of(key.keyId(), type), payload, key);
  }

  /**
   * Signs {@code payload} under exactly {@code header}. The protocol's own objects use {@link
   * #sign(JwsType, byte[], SigningKey)}; this form exists for test vectors.
   */
  public static CompactJws sign(ProtectedHeader header, byte[] payload, SigningKey key) {
    byte[] headerText = Base64Url.encodeToAscii(header.toJson());
    byte[] payloadText = Base64Url.encodeToAscii(payload);
    int payloadEnd = headerText.length + 1 + payloadText.length;
    byte[] signingInput = new byte[payloadEnd];
    System.arraycopy(headerText, 0, signingInput, 0, headerText.length);
    signingInput[headerText.length] = '.';
    System.arraycopy(payloadText, 0, signingInput, headerText.length + 1, payloadText.length);
    byte[] signature = key.sign(signingInput);
    byte[] signatureText = Base64Url.encodeToAscii(signature);
    byte[] ascii = Arrays.copyOf(signingInput, payloadEnd + 1 + signatureText.length);
    ascii[payloadEnd] = '.';
    System.arraycopy(signatureText, 0, ascii, payloadEnd + 1, signatureText.length);
    return new CompactJws(ascii, headerText.length, payloadEnd, header, payload.clone(), signature);
  }

  /** Parses compact serialization text. */
  public static CompactJws parse(String text) throws VerificationException {
    if (text.length() > Limits.JWS_BYTES_MAX) {
      throw tooLarge();
    }
    return parse(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Parses compact serialization bytes (ASCII), as found in a Kafka record value. */
  public static CompactJws parse(byte[] ascii) throws VerificationException {
    if (ascii.length > Limits.JWS_BYTES_MAX) {
      throw tooLarge();
    }
    int firstDot = indexOf(ascii, 0);
    int secondDot = firstDot < 0 ? -1 : indexOf(ascii, firstDot + 1);
    if (secondDot < 0 || indexOf(ascii, secondDot + 1) >= 0) {
      throw new VerificationException(
          Reason.MALFORMED, "compact JWS must have exactly three dot-separated parts");
    }
    if (firstDot > HEADER_CHARS_MAX) {
      throw new VerificationException(
          Reason.TOO_LARGE,
          "protected header exceeds " + Limits.PROTECTED_HEADER_BYTES_MAX + " bytes");
    }
    if (ascii.length - secondDot - 1 != SIGNATURE_CHARS) {
      throw new VerificationException(Reason.MALFORMED, "an EdDSA signature has 64 bytes");
    }
    byte[] copy = ascii.clone();
    byte[] headerJson = decode(copy, 0, firstDot, "protected header");
    ProtectedHeader header = ProtectedHeader.read(headerJson);
    byte[] payload = decode(copy, firstDot + 1, secondDot - firstDot - 1, "payload");
    byte[] signature = decode(copy, secondDot + 1, SIGNATURE_CHARS, "signature");
    return new CompactJws(copy, firstDot, secondDot, header, payload, signature);
  }

  /**
   * Verifies that this is an object of kind {@code expected}, signed by the key its {@code kid}
   * names among {@code trusted}, over the bytes as received.
   *
   * @throws VerificationException {@link Reason#TYPE_MISMATCH}, {@link Reason#KEY_ID_MISSING},
   *     {@link Reason#SIGNER_UNKNOWN} or {@link Reason#SIGNATURE_INVALID}
   */
  public VerifiedJws verify(JwsType expected, KeyResolver trusted) throws VerificationException {
    VerificationKey key = namedKey(expected, trusted);
    key.verify(ascii, 0, payloadEnd, signature);
    return new VerifiedJws(expected, payload, List.of(key));
  }

  /**
   * The key among {@code trusted} that the {@code kid} names, for an object of kind {@code
   * expected}, without checking the signature: for a reader that authenticates these exact bytes
   * another way (an engine admitting log records through their producer's hash chain, ADR 0011) or
   * checks them later with {@link #verify}.
   *
   * @throws VerificationException {@link Reason#TYPE_MISMATCH}, {@link Reason#KEY_ID_MISSING} or
   *     {@link Reason#SIGNER_UNKNOWN}
   */
  public VerificationKey namedKey(JwsType expected, KeyResolver trusted)
      throws VerificationException {
    String keyId = header.requireKeyIdAndType(expected);
    return trusted
        .find(keyId)
        .orElseThrow(
            () -> new VerificationException(Reason.SIGNER_UNKNOWN, "unknown key " + keyId));
  }

  public ProtectedHeader header() {
    return header;
  }

  /**
   * The payload before any check of its signature. For routing and diagnostics only; use {@link
   * VerifiedJws#payload()} for anything that trusts it.
   */
  public byte[] unverifiedPayload() {
    return payload.clone();
  }

  /** The signing input as received: {@code BASE64URL(header) '.' BASE64URL(payload)}. */
  public byte[] signingInput() {
    return Arrays.copyOf(ascii, payloadEnd);
  }

  /** The received base64url text of the protected header. */
  public String encodedHeader() {
    return new String(ascii, 0, headerEnd, StandardCharsets.US_ASCII);
  }

  /** The received base64url text of the payload. */
  public String encodedPayload() {
    return new String(ascii, headerEnd + 1, payloadEnd - headerEnd - 1, StandardCharsets.US_ASCII);
  }

  /** A copy of the 64 signature bytes. */
  public byte[] signature() {
    return signature.clone();
  }

  /** The serialization as ASCII bytes (a copy). */
  public byte[] toBytes() {
    return ascii.clone();
  }

  /** The serialization as text. */
  public String serialize() {
    return new String(ascii, StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "CompactJws[" + header + ", " + payload.length + " payload bytes]";
  }

  private static int indexOf(byte[] ascii, int from) {
    for (int i = from; i < ascii.length; i++) {
      if (ascii[i] == '.') {
        return i;
      }
    }
    return -1;
  }

  private static byte[] decode(byte[] ascii, int offset, int length, String part)
      throws VerificationException {
    try {
      return Base64Url.decode(ascii, offset, length);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(Reason.MALFORMED, part + ": " + e.getMessage());
    }
  }

  private static VerificationException tooLarge() {
    return new VerificationException(
        Reason.TOO_LARGE, "JWS exceeds " + Limits.JWS_BYTES_MAX + " bytes");
  }
}
