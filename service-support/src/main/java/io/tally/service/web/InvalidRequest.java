package io.tally.service.web;

/**
 * A path or query parameter, header or body outside what the API takes: 400 {@code malformed}. Its
 * message is the {@code detail}, so it names the rule and never quotes a Java exception.
 */
public final class InvalidRequest extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** A refusal whose {@code detail} is {@code detail}. */
  public InvalidRequest(String detail) {
    super(detail, null, false, false);
  }
}
