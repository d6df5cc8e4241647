package io.tally.protocol;

/**
 * A signed object, proof or key was refused. Checked on purpose: a caller cannot forget that
 * verification can fail, and no verifier in this library reports failure by a return value.
 */
public final class VerificationException extends Exception {

  private static final long serialVersionUID = 1L;

  private final Reason reason;

  public VerificationException(Reason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  /** The stable code of the rule that refused the object. */
  public Reason reason() {
    return reason;
  }
}
