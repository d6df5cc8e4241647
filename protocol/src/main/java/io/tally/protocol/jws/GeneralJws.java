package io.tally.protocol.jws;

import io.tally.protocol.Limits;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.keys.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A JWS in JSON general serialization (RFC 7515 section 7.2.1): one payload, one or more
 * signatures, each with its own protected header:
 *
 * <pre>{"payload":"...","signatures":[{"protected":"...","signature":"..."}, ...]}</pre>
 *
 * <p>Refused on reading: the flattened form, unprotected {@code header} members anywhere, more than
 * {@link Limits#JWS_SIGNATURES_MAX} signatures, and unknown members. On verification every
 * signature must verify and no key may sign twice; one bad signature refuses the whole object.
 *
 * <p>Each signature's signing input is the received {@code protected} text, a dot and the received
 * {@code payload} text. Immutable.
 */
public final class GeneralJws {

  /** One signature: the received protected header text, its parsed form and the signature. */
  @SuppressWarnings("ArrayRecordComponent") // private, never compared, never handed out uncopied
  private record Signature(String encodedHeader, ProtectedHeader header, byte[] signature) {}

  private final String encodedPayload;
  private final byte[] payload;
  private final List<Signature> signatures;
  private final byte[] serialized;

  private GeneralJws(
      String encodedPayload, byte[] payload, List<Signature> signatures, byte[] serialized) {
    this.encodedPayload = encodedPayload;
    this.payload = payload;
    this.signatures = List.copyOf(signatures);
    this.serialized = serialized;
  }

  /** Signs {@code payload} as an object of kind {@code type} with each of {@code keys}. */
  public static GeneralJws sign(JwsType type, byte[] payload, List<SigningKey> keys) {
    if (keys.isEmpty() || keys.size() > Limits.JWS_SIGNATURES_MAX) {
      throw new IllegalArgumentException(
          "a JWS carries 1 to " + Limits.JWS_SIGNATURES_MAX + " signatures");
    }
    String encodedPayload = Base64Url.encode(payload);
    List<Signature> signatures = new ArrayList<>();
    for (SigningKey key : keys) {
      signatures.add(signature(type, encodedPayload, key));
    }
    return build(encodedPayload, payload.clone(), signatures);
  }

  /**
   * This object with one more signature by {@code key}, over the same payload text: how a second
   * party co-signs what the first built.
   */
  public GeneralJws withSignature(JwsType type, SigningKey key) {
    if (signatures.size() >= Limits.JWS_SIGNATURES_MAX) {
      throw new IllegalStateException("already " + Limits.JWS_SIGNATURES_MAX + " signatures");
    }
    List<Signature> more = new ArrayList<>(signatures);
    more.add(signature(type, encodedPayload, key));
    return build(encodedPayload, payload, more);
  }

  /**
   * Combines compact JWSs over one payload into one general JWS, keeping each protected header and
   * signature exactly as received (how votes become a quorum certificate).
   *
   * @throws IllegalArgumentException if the list is empty, too long, or the payload texts differ
   */
  public static GeneralJws combine(List<CompactJws> parts) {
    if (parts.isEmpty() || parts.size() > Limits.JWS_SIGNATURES_MAX) {
      throw new IllegalArgumentException(
          "a JWS carries 1 to " + Limits.JWS_SIGNATURES_MAX + " signatures");
    }
    String encodedPayload = parts.get(0).encodedPayload();
    List<Signature> signatures = new ArrayList<>();
    for (CompactJws part : parts) {
      if (!part.encodedPayload().equals(encodedPayload)) {
        throw new IllegalArgumentException("combined JWSs must sign the same payload");
      }
      signatures.add(new Signature(part.encodedHeader(), part.header(), part.signature()));
    }
    return build(encodedPayload, parts.get(0).unverifiedPayload(), signatures);
  }

  /** Parses general serialization JSON bytes. */
  public static GeneralJws parse(byte[] json) throws VerificationException {
    if (json.length > Limits.JWS_BYTES_MAX) {
      throw new VerificationException(
          Reason.TOO_LARGE, "JWS exceeds " + Limits.JWS_BYTES_MAX + " bytes");
    }
    try {
      JsonObject object = JsonReader.parseObject(json, 4);
      if (object.has("header")) {
        throw new VerificationException(
            Reason.UNPROTECTED_HEADER, "unprotected header parameters are not accepted");
      }
      if (object.has("protected") || object.has("signature")) {
        throw new VerificationException(
            Reason.MALFORMED, "flattened serialization is not accepted; use \"signatures\"");
      }
      object.requireOnly(Set.of("payload", "signatures"));
      String encodedPayload = object.string("payload");
      byte[] payload = decode(encodedPayload, "payload");
      List<Object> items = object.array("signatures", Integer.MAX_VALUE);
      if (items.isEmpty()) {
        throw new VerificationException(Reason.MALFORMED, "a JWS needs at least one signature");
      }
      if (items.size() > Limits.JWS_SIGNATURES_MAX) {
        throw new VerificationException(
            Reason.SIGNATURES_TOO_MANY, "more than " + Limits.JWS_SIGNATURES_MAX + " signatures");
      }
      List<Signature> signatures = new ArrayList<>(items.size());
      for (Object item : items) {
        if (!(item instanceof JsonObject entry)) {
          throw new VerificationException(Reason.MALFORMED, "signatures must be objects");
        }
        if (entry.has("header")) {
          throw new VerificationException(
              Reason.UNPROTECTED_HEADER, "unprotected header parameters are not accepted");
        }
        entry.requireOnly(Set.of("protected", "signature"));
        String encodedHeader = entry.string("protected");
        ProtectedHeader header = ProtectedHeader.read(decode(encodedHeader, "protected header"));
        byte[] signature = decode(entry.string("signature"), "signature");
        if (signature.length != VerificationKey.SIGNATURE_BYTES) {
          throw new VerificationException(Reason.MALFORMED, "an EdDSA signature has 64 bytes");
        }
        signatures.add(new Signature(encodedHeader, header, signature));
      }
      return new GeneralJws(encodedPayload, payload, signatures, json.clone());
    } catch (JsonException e) {
      throw new VerificationException(Reason.MALFORMED, "JWS JSON: " + e.getMessage());
    }
  }

  /**
   * Verifies that every signature is by a distinct key among {@code trusted}, for an object of kind
   * {@code expected}, over the received bytes. Cheap checks on all signatures come before any
   * signature arithmetic.
   *
   * @throws VerificationException {@link Reason#TYPE_MISMATCH}, {@link Reason#KEY_ID_MISSING},
   *     {@link Reason#SIGNER_UNKNOWN}, {@link Reason#SIGNER_DUPLICATE} or {@link
   *     Reason#SIGNATURE_INVALID}
   */
  public VerifiedJws verify(JwsType expected, KeyResolver trusted) throws VerificationException {
    List<VerificationKey> keys = new ArrayList<>(signatures.size());
    Set<String> keyIds = new HashSet<>();
    for (Signature signature : signatures) {
      String keyId = signature.header().requireKeyIdAndType(expected);
      Optional<VerificationKey> key = trusted.find(keyId);
      if (key.isEmpty()) {
        throw new VerificationException(Reason.SIGNER_UNKNOWN, "unknown key " + keyId);
      }
      if (!keyIds.add(keyId) || keys.contains(key.get())) {
        throw new VerificationException(Reason.SIGNER_DUPLICATE, "key " + keyId + " signs twice");
      }
      keys.add(key.get());
    }
    for (int i = 0; i < signatures.size(); i++) {
      byte[] input = signingInput(signatures.get(i).encodedHeader(), encodedPayload);
      keys.get(i).verify(input, signatures.get(i).signature());
    }
    return new VerifiedJws(expected, payload, keys);
  }

  /** The protected headers, in order. */
  public List<ProtectedHeader> headers() {
    return signatures.stream().map(Signature::header).toList();
  }

  /** The number of signatures. */
  public int signatureCount() {
    return signatures.size();
  }

  /**
   * The payload before any check of its signatures. For routing and diagnostics only; use {@link
   * VerifiedJws#payload()} for anything that trusts it.
   */
  public byte[] unverifiedPayload() {
    return payload.clone();
  }

  /** The received base64url text of the payload. */
  public String encodedPayload() {
    return encodedPayload;
  }

  /** The serialization: the bytes as received when parsed, else as written (a copy). */
  public byte[] toBytes() {
    return serialized.clone();
  }

  @Override
  public String toString() {
    return "GeneralJws[" + signatures.size() + " signatures, " + payload.length + " bytes]";
  }

  private static Signature signature(JwsType type, String encodedPayload, SigningKey key) {
    ProtectedHeader header = ProtectedHeader.of(key.keyId(), type);
    String encodedHeader = Base64Url.encode(header.toJson());
    return new Signature(
        encodedHeader, header, key.sign(signingInput(encodedHeader, encodedPayload)));
  }

  private static GeneralJws build(String encodedPayload, byte[] payload, List<Signature> sigs) {
    JsonWriter json =
        new JsonWriter().beginObject().member("payload", encodedPayload).name("signatures");
    json.beginArray();
    for (Signature signature : sigs) {
      json.beginObject()
          .member("protected", signature.encodedHeader())
          .member("signature", Base64Url.encode(signature.signature()))
          .endObject();
    }
    byte[] serialized = json.endArray().endObject().toUtf8();
    return new GeneralJws(encodedPayload, payload, sigs, serialized);
  }

  private static byte[] signingInput(String encodedHeader, String encodedPayload) {
    // Both texts passed the base64url alphabet check or were written by us: ASCII.
    return (encodedHeader + '.' + encodedPayload).getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] decode(String text, String part) throws VerificationException {
    try {
      return Base64Url.decode(text);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(Reason.MALFORMED, part + ": " + e.getMessage());
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof GeneralJws that && Arrays.equals(serialized, that.serialized);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(serialized);
  }
}
