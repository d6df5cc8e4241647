package io.tally.service.web.openapi;

import io.tally.service.web.Problems;
import java.util.List;

/**
 * One Problem Details type a service can answer: its code ({@code unknown-proposal}), the status it
 * is answered with, a sentence that says when, and the headers that come with it ({@code
 * Retry-After}, {@code WWW-Authenticate}).
 */
public record ProblemType(String code, int status, String description, List<String> headers) {

  public ProblemType {
    headers = List.copyOf(headers);
  }

  /** The problem's {@code type}: {@code urn:tally:problem:<code>}. */
  public String type() {
    return Problems.type(code).toString();
  }

  /** The problem's {@code title}: the code in upper case, as {@link Problems} writes it. */
  public String title() {
    return code.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }
}
