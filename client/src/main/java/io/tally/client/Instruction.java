package io.tally.client;

import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.keys.VerificationKey;
import java.util.List;
import java.util.Set;

/**
 * An unsigned participant instruction: its id, kind and the exact payload bytes that its signers
 * sign. {@code notAfter} is milliseconds since the epoch; the network refuses an instruction whose
 * {@code notAfter} has passed in log time, or lies further ahead than its instruction window.
 *
 * @param id the instruction id, unique per network (the idempotency key)
 * @param kind the instruction kind, as in the payload
 * @param payload the JSON bytes that are signed
 */
@SuppressWarnings("ArrayRecordComponent") // the exact signed bytes; never compared by equals
public record Instruction(String id, String kind, byte[] payload) {

  /** Opens an account of {@code asset} owned by {@code owner}; flags: issuance, overdraft. */
  public static Instruction openAccount(
      String id, long notAfter, String account, String owner, String asset, Set<String> flags) {
    return new Instruction(
        id,
        "open-account",
        Payloads.write(
            id,
            "open-account",
            notAfter,
            json -> {
              json.member("account", account).member("owner", owner).member("asset", asset);
              if (!flags.isEmpty()) {
                Payloads.strings(json, "flags", flags.stream().sorted().toList());
              }
            }));
  }

  /** Moves every leg atomically: all or none. Each debited account's owner signs. */
  public static Instruction settle(String id, long notAfter, List<Leg> legs) {
    return new Instruction(
        id, "settle", Payloads.write(id, "settle", notAfter, json -> Payloads.legs(json, legs)));
  }

  /**
   * Reserves every leg until {@code expiresAt} (log time, ms); a later {@link #commit} settles it,
   * {@link #cancel} or expiry releases it. {@code controllers} may commit or cancel besides the
   * signers.
   */
  public static Instruction reserve(
      String id, long notAfter, List<Leg> legs, long expiresAt, List<String> controllers) {
    return new Instruction(
        id,
        "reserve",
        Payloads.write(
            id,
            "reserve",
            notAfter,
            json -> {
              Payloads.legs(json, legs);
              json.member("expiresAt", expiresAt);
              if (!controllers.isEmpty()) {
                Payloads.strings(json, "controllers", controllers);
              }
            }));
  }

  /** Settles the reservation made by instruction {@code reservation}. */
  public static Instruction commit(String id, long notAfter, String reservation) {
    return closing(id, "commit", notAfter, reservation);
  }

  /** Releases the reservation made by instruction {@code reservation}. */
  public static Instruction cancel(String id, long notAfter, String reservation) {
    return closing(id, "cancel", notAfter, reservation);
  }

  private static Instruction closing(String id, String kind, long notAfter, String reservation) {
    return new Instruction(
        id,
        kind,
        Payloads.write(id, kind, notAfter, json -> json.member("reservation", reservation)));
  }

  /** A participant adds a key of its own; signed by a current key and by the new key. */
  public static Instruction addKey(
      String id, long notAfter, String participant, VerificationKey key) {
    return new Instruction(
        id,
        "add-key",
        Payloads.write(
            id,
            "add-key",
            notAfter,
            json -> {
              json.member("participant", participant);
              Payloads.key(json, "key", key);
            }));
  }

  /** A participant revokes one of its keys (by key id); signed by a current key. */
  public static Instruction revokeKey(String id, long notAfter, String participant, String kid) {
    return new Instruction(
        id,
        "revoke-key",
        Payloads.write(
            id,
            "revoke-key",
            notAfter,
            json -> json.member("participant", participant).member("kid", kid)));
  }

  /** A participant replaces key {@code revoke} by {@code key}; signed by both. */
  public static Instruction rotateKey(
      String id, long notAfter, String participant, VerificationKey key, String revoke) {
    return new Instruction(
        id,
        "rotate-key",
        Payloads.write(
            id,
            "rotate-key",
            notAfter,
            json -> {
              json.member("participant", participant);
              Payloads.key(json, "key", key);
              json.member("revoke", revoke);
            }));
  }

  /** Signs the payload with each of {@code keys}; more signers can be added later. */
  public SignedInstruction sign(List<SigningKey> keys) {
    return new SignedInstruction(GeneralJws.sign(JwsType.INSTRUCTION, payload, keys));
  }
}
