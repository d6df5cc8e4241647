package io.tally.client;

import io.tally.protocol.Limits;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import java.util.List;

/**
 * An instruction with the signatures gathered so far (JWS JSON general serialization, {@code typ
 * tally-instruction+jws}). Multi-party signing: one party builds and signs, writes {@link
 * #toBytes()} to a file, the others {@link #parse} it and add theirs with {@link #withSignature}.
 * The payload bytes are never re-serialized.
 */
public final class SignedInstruction {

  private final GeneralJws jws;
  private final String id;

  SignedInstruction(GeneralJws jws) {
    this.jws = jws;
    try {
      this.id = JsonReader.parseObject(jws.unverifiedPayload(), Limits.JSON_DEPTH_MAX).string("id");
    } catch (JsonException e) {
      throw new IllegalArgumentException("the instruction payload has no id: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an instruction JWS as another party wrote it.
   *
   * @throws VerificationException if it is not a JWS JSON general serialization with an id
   */
  public static SignedInstruction parse(byte[] json) throws VerificationException {
    GeneralJws jws = GeneralJws.parse(json);
    try {
      return new SignedInstruction(jws);
    } catch (IllegalArgumentException e) {
      throw new VerificationException(Reason.MALFORMED, String.valueOf(e.getMessage()));
    }
  }

  /** The same instruction with one more signature, by {@code key}. */
  public SignedInstruction withSignature(SigningKey key) {
    return new SignedInstruction(jws.withSignature(JwsType.INSTRUCTION, key));
  }

  public String id() {
    return id;
  }

  /** The payload the signatures cover, as written by the party that built the instruction. */
  public byte[] payload() {
    return jws.unverifiedPayload();
  }

  /** The key ids that signed so far, in order. */
  public List<String> signerKeyIds() {
    return jws.headers().stream().flatMap(header -> header.keyId().stream()).toList();
  }

  /** The bytes to submit (or to hand to the next signer). */
  public byte[] toBytes() {
    return jws.toBytes();
  }
}
