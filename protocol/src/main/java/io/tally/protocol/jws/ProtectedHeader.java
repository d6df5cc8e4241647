package io.tally.protocol.jws;

import io.tally.protocol.Limits;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import java.util.Optional;
import java.util.Set;

/**
 * The protected header of a JWS: {@code alg} (always {@code EdDSA}), {@code kid} and {@code typ}.
 *
 * <p>Reading refuses {@code crit}, any {@code alg} but {@code EdDSA} (so also {@code none}), and
 * every other parameter: the protocol defines none, and a parameter a verifier ignores is a
 * parameter an attacker controls. {@code kid} and {@code typ} are optional at this level so that
 * the RFC 8037 test vector parses; {@link CompactJws} and {@link GeneralJws} require both when
 * verifying.
 *
 * <p>Written as {@code {"alg":"EdDSA","kid":"...","typ":"..."}}, absent members left out.
 */
public record ProtectedHeader(Optional<String> keyId, Optional<String> type) {

  /** The only algorithm accepted. */
  public static final String ALGORITHM = "EdDSA";

  private static final Set<String> PARAMETERS = Set.of("alg", "kid", "typ");

  /** The header the protocol writes: {@code kid} of the signer and {@code typ} of the kind. */
  public static ProtectedHeader of(String keyId, JwsType type) {
    return new ProtectedHeader(Optional.of(keyId), Optional.of(type.headerValue()));
  }

  /** Reads decoded protected header bytes. */
  public static ProtectedHeader read(byte[] json) throws VerificationException {
    if (json.length > Limits.PROTECTED_HEADER_BYTES_MAX) {
      throw new VerificationException(
          Reason.TOO_LARGE,
          "protected header exceeds " + Limits.PROTECTED_HEADER_BYTES_MAX + " bytes");
    }
    try {
      JsonObject header = JsonReader.parseObject(json, 2);
      if (header.has("crit")) {
        throw new VerificationException(
            Reason.CRITICAL_HEADER_UNSUPPORTED, "the protocol defines no critical header");
      }
      if (!header.has("alg")) {
        throw new VerificationException(Reason.MALFORMED, "protected header lacks \"alg\"");
      }
      if (!ALGORITHM.equals(header.string("alg"))) {
        throw new VerificationException(Reason.ALGORITHM_UNSUPPORTED, "only alg EdDSA is accepted");
      }
      for (String name : header.names()) {
        if (!PARAMETERS.contains(name)) {
          throw new VerificationException(
              Reason.HEADER_PARAMETER_UNSUPPORTED, "header parameter \"" + name + "\"");
        }
      }
      return new ProtectedHeader(header.optionalString("kid"), header.optionalString("typ"));
    } catch (JsonException e) {
      throw new VerificationException(Reason.MALFORMED, "protected header: " + e.getMessage());
    }
  }

  /** The header's JSON bytes in the protocol's one written form. */
  public byte[] toJson() {
    JsonWriter json = new JsonWriter().beginObject().member("alg", ALGORITHM);
    keyId.ifPresent(kid -> json.member("kid", kid));
    type.ifPresent(typ -> json.member("typ", typ));
    return json.endObject().toUtf8();
  }

  /**
   * Checks that this header names a signer and the expected kind of object.
   *
   * @return the {@code kid}
   */
  String requireKeyIdAndType(JwsType expected) throws VerificationException {
    if (!type.map(expected.headerValue()::equals).orElse(false)) {
      throw new VerificationException(
          Reason.TYPE_MISMATCH,
          "expected typ " + expected.headerValue() + ", got " + type.orElse("none"));
    }
    return keyId.orElseThrow(
        () -> new VerificationException(Reason.KEY_ID_MISSING, "protected header lacks \"kid\""));
  }
}
