package io.tally.service.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Problem Details (RFC 9457) with Tally's stable types: {@code type} is {@code
 * urn:tally:problem:<code>} (the code in lower case, kebab-cased), {@code title} the code in upper
 * case, {@code detail} a sentence the service wrote.
 */
public final class Problems {

  /** The prefix of every problem type. */
  public static final String TYPE_PREFIX = "urn:tally:problem:";

  private Problems() {}

  /** The stable type of {@code code} ({@code SIGNATURE_INVALID} or {@code signature-invalid}). */
  public static URI type(String code) {
    return URI.create(TYPE_PREFIX + kebab(code));
  }

  /** A problem with {@code status}, the code's {@link #type} and title, and {@code detail}. */
  public static ProblemDetail of(HttpStatusCode status, String code, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type(code));
    problem.setTitle(title(code));
    return problem;
  }

  /** {@link #of} with the problem's own status and {@code detail}. */
  public static ProblemDetail of(HttpProblem problem, String detail) {
    return of(HttpStatusCode.valueOf(problem.status()), problem.code(), detail);
  }

  /**
   * {@code problem} as an answer with {@code Content-Type: application/problem+json} set, so that
   * no {@code Accept} header can turn it into another error.
   */
  public static ResponseEntity<ProblemDetail> answer(ProblemDetail problem, HttpHeaders headers) {
    HttpHeaders all = new HttpHeaders();
    all.putAll(headers);
    all.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return ResponseEntity.status(problem.getStatus()).headers(all).body(problem);
  }

  /**
   * The JSON of a problem, for the places that answer without Spring's message converters (the
   * error page, a servlet filter, Tomcat's error report).
   */
  public static String json(int status, String code, String detail) {
    return "{\"type\":\""
        + TYPE_PREFIX
        + kebab(code)
        + "\",\"title\":\""
        + title(code)
        + "\",\"status\":"
        + status
        + ",\"detail\":\""
        + escape(detail)
        + "\"}";
  }

  /** Answers {@code response} with a problem, for servlet filters that refuse before Spring MVC. */
  public static void write(HttpServletResponse response, int status, String code, String detail)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(json(status, code, detail));
  }

  private static String kebab(String code) {
    return code.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String title(String code) {
    return code.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
