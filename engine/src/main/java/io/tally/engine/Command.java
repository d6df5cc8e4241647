package io.tally.engine;

import io.tally.protocol.keys.VerificationKey;
import java.util.List;

/** A decoded entry: what it asks the state machine to do. */
sealed interface Command {

  /**
   * One movement: {@code amount} minor units of {@code asset} from {@code debit} to {@code credit}.
   */
  record Leg(String debit, String credit, String asset, long amount) {}

  record OpenAccount(
      String account, String owner, String asset, boolean issuance, boolean overdraft)
      implements Command {}

  record Settle(List<Leg> legs) implements Command {}

  /** Controllers may commit or cancel; empty means the debtors. */
  record Reserve(List<Leg> legs, long expiresAt, List<String> controllers) implements Command {}

  record Commit(String reservation) implements Command {}

  record Cancel(String reservation) implements Command {}

  record RegisterParticipant(
      String participant, String name, List<String> roles, List<VerificationKey> keys)
      implements Command {}

  record AddKey(String participant, VerificationKey key) implements Command {}

  record RevokeKey(String participant, String keyId) implements Command {}

  /** Adds {@code key} and revokes {@code revokeKeyId} atomically. */
  record RotateKey(String participant, VerificationKey key, String revokeKeyId)
      implements Command {}

  record SuspendParticipant(String participant) implements Command {}

  record ReinstateParticipant(String participant) implements Command {}

  record RegisterAsset(String code, int scale, String issuer) implements Command {}
}
