package io.tally.protocol.keys;

import io.tally.protocol.Limits;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A JWK Set (RFC 7517 section 5): {@code {"keys":[...]}} of public Ed25519 keys with distinct key
 * ids, at most {@link Limits#GENESIS_MEMBERS_MAX} of them.
 */
public record Jwks(List<Jwk> keys) {

  public Jwks {
    keys = List.copyOf(keys);
    Set<String> seen = new HashSet<>();
    for (Jwk key : keys) {
      if (!seen.add(key.keyId())) {
        throw new IllegalArgumentException("a JWK Set lists key " + key.keyId() + " twice");
      }
    }
  }

  /** Reads a JWK Set from its JSON bytes. */
  public static Jwks read(byte[] json) throws VerificationException {
    try {
      JsonObject object = JsonReader.parseObject(json, Limits.JSON_DEPTH_MAX);
      object.requireOnly(Set.of("keys"));
      List<Jwk> keys = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (Object item : object.array("keys", Limits.GENESIS_MEMBERS_MAX)) {
        if (!(item instanceof JsonObject jwk)) {
          throw new VerificationException(Reason.MALFORMED, "JWK Set items must be objects");
        }
        Jwk key = Jwk.read(jwk);
        if (!seen.add(key.keyId())) {
          throw new VerificationException(
              Reason.MALFORMED, "JWK Set lists key " + key.keyId() + " twice");
        }
        keys.add(key);
      }
      return new Jwks(keys);
    } catch (JsonException e) {
      throw new VerificationException(Reason.MALFORMED, "JWK Set: " + e.getMessage());
    }
  }

  /** The key with id {@code keyId}, if listed. */
  public Optional<VerificationKey> find(String keyId) {
    for (Jwk key : keys) {
      if (key.keyId().equals(keyId)) {
        return Optional.of(key.key());
      }
    }
    return Optional.empty();
  }

  public String toJson() {
    JsonWriter json = new JsonWriter().beginObject().name("keys").beginArray();
    for (Jwk key : keys) {
      key.writeTo(json);
    }
    return json.endArray().endObject().toJson();
  }
}
