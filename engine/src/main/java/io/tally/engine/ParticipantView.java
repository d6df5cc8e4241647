package io.tally.engine;

import io.tally.protocol.keys.VerificationKey;
import java.util.List;

/** A read-only copy of a participant: its current keys and the ids of its revoked ones. */
public record ParticipantView(
    String id,
    String name,
    List<String> roles,
    boolean suspended,
    List<VerificationKey> currentKeys,
    List<String> revokedKeyIds) {

  public ParticipantView {
    roles = List.copyOf(roles);
    currentKeys = List.copyOf(currentKeys);
    revokedKeyIds = List.copyOf(revokedKeyIds);
  }
}
