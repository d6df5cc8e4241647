package io.tally.engine;

import io.tally.protocol.keys.VerificationKey;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rules of the directory: registering participants and assets, suspending and reinstating
 * participants (governance changes, signed by {@code g} administrators), and adding, rotating and
 * revoking keys (a governance change, or a participant's own instruction). Signatures were checked
 * before: each method applies one command's state rules.
 */
final class Governance {

  private final EngineState state;
  private final Rules rules;

  Governance(EngineState state, Rules rules) {
    this.state = state;
    this.rules = rules;
  }

  Code registerParticipant(Command.RegisterParticipant register) {
    if (state.participants.containsKey(register.participant())) {
      return Code.PARTICIPANT_EXISTS;
    }
    List<String> keyIds = new ArrayList<>();
    for (VerificationKey key : register.keys()) {
      if (state.keyOwners.containsKey(key.keyId()) || keyIds.contains(key.keyId())) {
        return Code.KEY_EXISTS;
      }
      keyIds.add(key.keyId());
    }
    Participant participant =
        new Participant(register.participant(), register.name(), register.roles());
    state.addParticipant(participant);
    for (VerificationKey key : register.keys()) {
      state.putKey(participant, key);
    }
    state.changes.changed(participant);
    return Code.ACCEPTED;
  }

  /** {@code add-key}, or {@code rotate-key} when {@code revokeKeyId} is set. */
  Code addKey(String participantId, VerificationKey key, @Nullable String revokeKeyId) {
    Participant participant = state.participants.get(participantId);
    if (participant == null) {
      return Code.PARTICIPANT_UNKNOWN;
    }
    if (revokeKeyId != null) {
      Code code = checkRevocable(participant, revokeKeyId);
      if (!code.accepted()) {
        return code;
      }
    }
    if (state.keyOwners.containsKey(key.keyId())) {
      return Code.KEY_EXISTS;
    }
    if (revokeKeyId == null && currentKeys(participant) >= rules.keysMax()) {
      return Code.KEYS_TOO_MANY;
    }
    state.putKey(participant, key);
    if (revokeKeyId != null) {
      EngineState.existingKey(participant, revokeKeyId).revoked = true;
    }
    state.changes.changed(participant);
    return Code.ACCEPTED;
  }

  Code revokeKey(String participantId, String keyId) {
    Participant participant = state.participants.get(participantId);
    if (participant == null) {
      return Code.PARTICIPANT_UNKNOWN;
    }
    Code code = checkRevocable(participant, keyId);
    if (code.accepted()) {
      EngineState.existingKey(participant, keyId).revoked = true;
      state.changes.changed(participant);
    }
    return code;
  }

  /** {@code suspend-participant} or {@code reinstate-participant}. */
  Code setSuspended(String participantId, boolean suspended) {
    Participant participant = state.participants.get(participantId);
    if (participant == null) {
      return Code.PARTICIPANT_UNKNOWN;
    }
    if (participant.suspended == suspended) {
      return Code.STATUS_UNCHANGED;
    }
    participant.suspended = suspended;
    state.changes.changed(participant);
    return Code.ACCEPTED;
  }

  Code registerAsset(Command.RegisterAsset register) {
    if (state.assets.containsKey(register.code())) {
      return Code.ASSET_EXISTS;
    }
    if (!state.participants.containsKey(register.issuer())) {
      return Code.PARTICIPANT_UNKNOWN;
    }
    Asset asset = new Asset(register.code(), register.scale(), register.issuer());
    state.assets.put(asset.code(), asset);
    state.changes.added(asset);
    return Code.ACCEPTED;
  }

  private static Code checkRevocable(Participant participant, String keyId) {
    Participant.Key key = participant.keys.get(keyId);
    if (key == null) {
      return Code.KEY_UNKNOWN;
    }
    return key.revoked ? Code.KEY_REVOKED : Code.ACCEPTED;
  }

  private static int currentKeys(Participant participant) {
    int current = 0;
    for (Participant.Key key : participant.keys.values()) {
      current += key.revoked ? 0 : 1;
    }
    return current;
  }
}
