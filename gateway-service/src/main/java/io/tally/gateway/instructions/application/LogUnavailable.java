package io.tally.gateway.instructions.application;

/**
 * The log did not acknowledge a write in time, or the gateway is stopping: the instruction may or
 * may not be written (the network applies an id once, so the client submits it again). An
 * operational failure: 503 {@code log-unavailable} with {@code Retry-After}.
 */
public final class LogUnavailable extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The log failed as {@code detail} says, for {@code cause} (null when there is none). */
  public LogUnavailable(String detail, @org.jspecify.annotations.Nullable Throwable cause) {
    super(detail, cause);
  }
}
