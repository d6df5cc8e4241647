package io.tally.identity.governance.domain;

/**
 * Why the desk refuses a proposal or an approval. Each reason is a stable code, named after its
 * rule; the web layer maps it to an HTTP status and a Problem Details type.
 */
public final class Refusal extends Exception {

  private static final long serialVersionUID = 1L;

  /** The rules. */
  public enum Reason {
    /** Not base64url, not JSON, or a payload the engine would refuse (the detail says why). */
    MALFORMED,
    /** A key the change registers or adds did not sign the payload. */
    KEY_POSSESSION_UNPROVEN,
    /** The payload's {@code notAfter} has passed: the network would refuse it ({@code EXPIRED}). */
    EXPIRED,
    /**
     * The payload's {@code notAfter} lies further ahead than the network's governance window
     * ({@code Rules.governanceWindowMs}, 30 days): the network would refuse it ({@code
     * NOT_AFTER_TOO_FAR}).
     */
    NOT_AFTER_TOO_FAR,
    /** A signature does not verify, or signs other bytes than the proposal's payload. */
    SIGNATURE_INVALID,
    /** The approval is signed by a key that is not a governance key of the genesis. */
    NOT_AN_ADMINISTRATOR,
    /** This administrator already approved this proposal. */
    ALREADY_APPROVED,
    /** Another proposal with this id but other content exists. */
    ID_CONFLICT,
    /** No proposal has this id. */
    UNKNOWN_PROPOSAL,
    /** No finalized block registers this participant. */
    UNKNOWN_PARTICIPANT
  }

  private final Reason reason;

  public Refusal(Reason reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
