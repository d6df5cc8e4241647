package io.tally.client;

import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.keys.VerificationKey;
import java.util.List;

/**
 * A change to the directory that only governance makes (g administrators approve it at the identity
 * desk): its id, kind and exact payload bytes. A change that brings keys in is proposed with each
 * key's {@link #proof} (proof of possession, ADR 0008); each administrator then sends an {@link
 * #approval}.
 *
 * @param id the change's id; the desk uses it as the proposal id
 * @param kind the change's kind, as in the payload
 * @param payload the JSON bytes administrators approve
 */
@SuppressWarnings("ArrayRecordComponent") // the exact approved bytes; never compared by equals
public record GovernanceChange(String id, String kind, byte[] payload) {

  /** Registers a participant with its first keys, and the settlement role. */
  public static GovernanceChange registerParticipant(
      String id, long notAfter, String participant, String name, List<VerificationKey> keys) {
    return registerParticipant(id, notAfter, participant, name, keys, List.of("settlement"));
  }

  /**
   * Registers a participant with its first keys and {@code roles} ({@code settlement}; {@code
   * auditor} reads every account and the audit API).
   */
  public static GovernanceChange registerParticipant(
      String id,
      long notAfter,
      String participant,
      String name,
      List<VerificationKey> keys,
      List<String> roles) {
    return new GovernanceChange(
        id,
        "register-participant",
        Payloads.write(
            id,
            "register-participant",
            notAfter,
            json -> {
              json.member("participant", participant).member("name", name);
              Payloads.strings(json, "roles", roles);
              json.name("keys").beginArray();
              keys.forEach(key -> key.toJwk().writeTo(json));
              json.endArray();
            }));
  }

  /** Registers an asset with {@code scale} decimal places, issued by {@code issuer}. */
  public static GovernanceChange registerAsset(
      String id, long notAfter, String asset, int scale, String issuer) {
    return new GovernanceChange(
        id,
        "register-asset",
        Payloads.write(
            id,
            "register-asset",
            notAfter,
            json -> json.member("asset", asset).member("scale", scale).member("issuer", issuer)));
  }

  /** Suspends a participant: its instructions are refused until reinstated. */
  public static GovernanceChange suspendParticipant(String id, long notAfter, String participant) {
    return participantChange(id, "suspend-participant", notAfter, participant);
  }

  /** Reinstates a suspended participant. */
  public static GovernanceChange reinstateParticipant(
      String id, long notAfter, String participant) {
    return participantChange(id, "reinstate-participant", notAfter, participant);
  }

  /**
   * Adds a key to a participant by governance (its keys are lost or it cannot sign): proposed with
   * the new key's {@link #proof}.
   */
  public static GovernanceChange addKey(
      String id, long notAfter, String participant, VerificationKey key) {
    return new GovernanceChange(
        id, "add-key", Instruction.addKey(id, notAfter, participant, key).payload());
  }

  /**
   * Replaces a participant's key {@code revoke} by {@code key} by governance: proposed with the new
   * key's {@link #proof}.
   */
  public static GovernanceChange rotateKey(
      String id, long notAfter, String participant, VerificationKey key, String revoke) {
    return new GovernanceChange(
        id, "rotate-key", Instruction.rotateKey(id, notAfter, participant, key, revoke).payload());
  }

  /** Revokes a participant's key by governance (a lost or stolen key). */
  public static GovernanceChange revokeKey(
      String id, long notAfter, String participant, String kid) {
    return new GovernanceChange(
        id, "revoke-key", Instruction.revokeKey(id, notAfter, participant, kid).payload());
  }

  private static GovernanceChange participantChange(
      String id, String kind, long notAfter, String participant) {
    return new GovernanceChange(
        id,
        kind,
        Payloads.write(id, kind, notAfter, json -> json.member("participant", participant)));
  }

  /** The proof that the holder of {@code key} agrees to enter the directory with this change. */
  public CompactJws proof(SigningKey key) {
    return CompactJws.sign(JwsType.GOVERNANCE, payload, key);
  }

  /** An administrator's approval of this change (the same form as a proof, by another key). */
  public CompactJws approval(SigningKey administrator) {
    return CompactJws.sign(JwsType.GOVERNANCE, payload, administrator);
  }
}
