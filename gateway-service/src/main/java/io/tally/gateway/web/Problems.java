package io.tally.gateway.web;

import java.net.URI;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Problem Details (RFC 9457) with the gateway's stable types. */
public final class Problems {

  private Problems() {}

  /** The stable type of a code: {@code urn:tally:problem:<code-in-kebab-case>}. */
  public static URI type(String code) {
    return URI.create("urn:tally:problem:" + code.toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  /** A problem with status, the code as title and {@link #type} of it, and a detail. */
  public static ProblemDetail of(HttpStatus status, String code, @Nullable String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, String.valueOf(detail));
    problem.setType(type(code));
    problem.setTitle(code);
    return problem;
  }
}
