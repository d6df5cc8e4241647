package io.tally.protocol.keys;

import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonWriter;
import java.util.Set;

/**
 * The public JWK of an Ed25519 key (RFC 8037 section 2): {@code kty} {@code OKP}, {@code crv}
 * {@code Ed25519}, {@code x} the base64url key bytes. Written with {@code kid} (the RFC 7638
 * thumbprint), {@code alg} {@code EdDSA} and {@code use} {@code sig}.
 *
 * <p>Reading is strict: a private member {@code d} is refused (a public document must never carry a
 * secret), as are unknown members, a {@code kid} other than the thumbprint, and any {@code alg} or
 * {@code use} other than the ones above.
 */
public record Jwk(VerificationKey key) {

  private static final Set<String> MEMBERS = Set.of("kty", "crv", "x", "kid", "alg", "use");

  /** Reads a public Ed25519 JWK. */
  public static Jwk read(JsonObject json) throws VerificationException {
    try {
      if (json.has("d")) {
        throw new VerificationException(
            Reason.MALFORMED, "a public JWK must not carry the private member \"d\"");
      }
      json.requireOnly(MEMBERS);
      if (!"OKP".equals(json.string("kty")) || !"Ed25519".equals(json.string("crv"))) {
        throw new VerificationException(
            Reason.KEY_INVALID, "only kty OKP with crv Ed25519 is accepted");
      }
      byte[] x;
      try {
        x = Base64Url.decode(json.string("x"));
      } catch (IllegalArgumentException e) {
        throw new VerificationException(Reason.MALFORMED, "JWK \"x\": " + e.getMessage());
      }
      VerificationKey key = VerificationKey.of(x);
      if (json.has("kid") && !key.keyId().equals(json.string("kid"))) {
        throw new VerificationException(
            Reason.MALFORMED, "JWK \"kid\" must be the RFC 7638 thumbprint " + key.keyId());
      }
      if (json.has("alg") && !"EdDSA".equals(json.string("alg"))) {
        throw new VerificationException(Reason.ALGORITHM_UNSUPPORTED, "JWK \"alg\" must be EdDSA");
      }
      if (json.has("use") && !"sig".equals(json.string("use"))) {
        throw new VerificationException(Reason.MALFORMED, "JWK \"use\" must be sig");
      }
      return new Jwk(key);
    } catch (JsonException e) {
      throw new VerificationException(Reason.MALFORMED, "JWK: " + e.getMessage());
    }
  }

  /** The key id (RFC 7638 thumbprint). */
  public String keyId() {
    return key.keyId();
  }

  /** Writes the JWK as the value at the writer's current position. */
  public JsonWriter writeTo(JsonWriter json) {
    return json.beginObject()
        .member("kty", "OKP")
        .member("crv", "Ed25519")
        .member("x", Base64Url.encode(key.toBytes()))
        .member("kid", key.keyId())
        .member("alg", "EdDSA")
        .member("use", "sig")
        .endObject();
  }

  /** The JWK as JSON text. */
  public String toJson() {
    return writeTo(new JsonWriter()).toJson();
  }
}
