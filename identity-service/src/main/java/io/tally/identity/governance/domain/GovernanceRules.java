package io.tally.identity.governance.domain;

import io.tally.engine.GovernanceProposal;
import io.tally.engine.Rules;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.genesis.Committee;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.jws.KeyResolver;
import io.tally.protocol.jws.VerifiedJws;
import io.tally.protocol.keys.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The desk's rules. A proposal is a governance payload (JSON, carried as the exact bytes its
 * authors signed) plus the compact JWSs ({@code typ tally-governance+jws}) of every key it brings
 * in. An approval is one administrator's compact JWS over the same bytes. The entry published to
 * the log is all of these combined into one general JWS, which the validators verify themselves.
 */
public final class GovernanceRules {

  /** Signatures a proposal may carry for its keys (the engine's keys per participant). */
  public static final int POSSESSION_SIGNATURES_MAX = 16;

  private GovernanceRules() {}

  /** A checked proposal: what the payload says, its bytes and the proofs of possession. */
  public record CheckedProposal(GovernanceProposal content, String payload, List<String> proofs) {}

  /**
   * Checks a proposal.
   *
   * @param payload the governance payload, base64url
   * @param proofs compact JWSs over the payload by each key it registers or adds
   * @throws Refusal {@link Refusal.Reason#MALFORMED} or {@link
   *     Refusal.Reason#KEY_POSSESSION_UNPROVEN}
   */
  public static CheckedProposal checkProposal(String payload, List<String> proofs, Rules rules)
      throws Refusal {
    byte[] bytes = decode(payload);
    GovernanceProposal content;
    try {
      content = GovernanceProposal.inspect(bytes, rules);
    } catch (GovernanceProposal.Refused e) {
      throw new Refusal(
          Refusal.Reason.MALFORMED,
          "the network would refuse this payload: " + e.code() + " " + e.getMessage());
    }
    if (proofs.size() > POSSESSION_SIGNATURES_MAX) {
      throw new Refusal(
          Refusal.Reason.MALFORMED, "at most " + POSSESSION_SIGNATURES_MAX + " proofs");
    }
    List<String> provenBy = new ArrayList<>();
    KeyResolver introduced = kid -> find(content.introducedKeys(), kid);
    for (String proof : proofs) {
      provenBy.add(verifyOver(bytes, proof, introduced, Refusal.Reason.KEY_POSSESSION_UNPROVEN));
    }
    for (VerificationKey key : content.introducedKeys()) {
      if (!provenBy.contains(key.keyId())) {
        throw new Refusal(
            Refusal.Reason.KEY_POSSESSION_UNPROVEN,
            "key "
                + key.keyId()
                + " did not sign the proposal: every key a change brings in must sign it");
      }
    }
    return new CheckedProposal(content, payload, List.copyOf(proofs));
  }

  /**
   * Checks {@code notAfter} against the network's window for governance changes as the engine will
   * at log time (ADR 0015): not passed, and at most {@code governanceWindowMs} ahead of {@code
   * nowMs}. The desk's clock stands in for the log time, which is later: a change that passes here
   * may still expire before it reaches the log, and the desk then shows the network's {@code
   * EXPIRED}.
   *
   * @throws Refusal {@link Refusal.Reason#EXPIRED} or {@link Refusal.Reason#NOT_AFTER_TOO_FAR}
   */
  public static void checkWindow(long notAfter, long nowMs, Rules rules) throws Refusal {
    if (notAfter < nowMs) {
      throw new Refusal(
          Refusal.Reason.EXPIRED,
          "notAfter "
              + notAfter
              + " has passed (now "
              + nowMs
              + "); propose it again under a new"
              + " id with a later notAfter");
    }
    if (notAfter - nowMs > rules.governanceWindowMs()) {
      throw new Refusal(
          Refusal.Reason.NOT_AFTER_TOO_FAR,
          "notAfter "
              + notAfter
              + " lies more than "
              + rules.governanceWindowMs()
              + " ms ahead (now "
              + nowMs
              + "): the network refuses governance changes beyond its window");
    }
  }

  /**
   * Checks an approval of {@code payload} and returns the approving administrator's id.
   *
   * @throws Refusal {@link Refusal.Reason#MALFORMED}, {@link Refusal.Reason#SIGNATURE_INVALID} or
   *     {@link Refusal.Reason#NOT_AN_ADMINISTRATOR}
   */
  public static String checkApproval(String payload, String approval, Committee governance)
      throws Refusal {
    byte[] bytes = decode(payload);
    String kid = verifyOver(bytes, approval, governance, Refusal.Reason.NOT_AN_ADMINISTRATOR);
    return governance
        .memberByKeyId(kid)
        .map(Member::id)
        .orElseThrow(() -> new AssertionError("a resolved governance key without its member"));
  }

  /** The log entry: every proof and approval combined into one general JWS. */
  public static byte[] entry(List<String> proofs, List<String> approvals) {
    List<CompactJws> signatures = new ArrayList<>();
    try {
      for (String jws : proofs) {
        signatures.add(CompactJws.parse(jws.getBytes(StandardCharsets.US_ASCII)));
      }
      for (String jws : approvals) {
        signatures.add(CompactJws.parse(jws.getBytes(StandardCharsets.US_ASCII)));
      }
    } catch (VerificationException e) {
      throw new AssertionError("a stored signature no longer parses", e);
    }
    return GeneralJws.combine(signatures).toBytes();
  }

  private static byte[] decode(String payload) throws Refusal {
    try {
      return Base64Url.decode(payload);
    } catch (IllegalArgumentException e) {
      throw new Refusal(Refusal.Reason.MALFORMED, "payload is not base64url: " + e.getMessage());
    }
  }

  /** Verifies a compact governance JWS over exactly {@code payload}; returns the key id. */
  private static String verifyOver(
      byte[] payload, String jws, KeyResolver keys, Refusal.Reason unknownKey) throws Refusal {
    CompactJws parsed;
    try {
      parsed = CompactJws.parse(jws.getBytes(StandardCharsets.US_ASCII));
    } catch (VerificationException e) {
      throw new Refusal(Refusal.Reason.MALFORMED, "not a compact JWS: " + e.getMessage());
    }
    if (!MessageDigest.isEqual(parsed.unverifiedPayload(), payload)) {
      throw new Refusal(
          Refusal.Reason.SIGNATURE_INVALID, "the signature is over other bytes than the proposal");
    }
    VerifiedJws verified;
    try {
      verified = parsed.verify(JwsType.GOVERNANCE, keys);
    } catch (VerificationException e) {
      String detail = String.valueOf(e.getMessage());
      throw switch (e.reason()) {
        case SIGNER_UNKNOWN -> new Refusal(unknownKey, detail);
        case SIGNATURE_INVALID -> new Refusal(Refusal.Reason.SIGNATURE_INVALID, detail);
        default -> new Refusal(Refusal.Reason.MALFORMED, detail);
      };
    }
    return verified.signers().get(0).keyId();
  }

  private static Optional<VerificationKey> find(List<VerificationKey> keys, String kid) {
    return keys.stream().filter(k -> k.keyId().equals(kid)).findFirst();
  }
}
