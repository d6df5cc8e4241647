package io.tally.client;

import org.jspecify.annotations.Nullable;

/**
 * A call that did not succeed, with why. {@link Kind#REFUSED} carries the server's Problem Details
 * (status, stable {@code type}, detail); the request must change before it can succeed. {@link
 * Kind#UNAVAILABLE} may succeed later. {@link Kind#DEADLINE} means the caller's deadline passed
 * first: the instruction may still become final, so ask for its status again rather than signing a
 * new one.
 */
public final class TallyException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The three ways a call ends without success. */
  public enum Kind {
    REFUSED,
    UNAVAILABLE,
    DEADLINE
  }

  private final Kind kind;
  private final int status;
  private final String type;

  TallyException(Kind kind, int status, String type, String detail) {
    super(detail);
    this.kind = kind;
    this.status = status;
    this.type = type;
  }

  TallyException(Kind kind, String detail, @Nullable Throwable cause) {
    super(detail, cause);
    this.kind = kind;
    this.status = 0;
    this.type = "";
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when no answer came. */
  public int status() {
    return status;
  }

  /** The Problem Details {@code type} (for example {@code urn:tally:problem:signature-invalid}). */
  public String type() {
    return type;
  }
}
