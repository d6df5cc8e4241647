package io.tally.service.web;

import java.util.Locale;

/**
 * The problems every service answers alike, most of them raised before a controller runs (by Tomcat
 * or Spring MVC). Each has its stable code ({@code urn:tally:problem:<code>}), its status and a
 * detail that never quotes the request or a Java exception.
 */
public enum HttpProblem {
  /** The path, a parameter, a header or the body is not what the API takes. */
  MALFORMED(400, "The request is not well-formed: a path, parameter, header or body is invalid."),
  /** No resource at this path. */
  NOT_FOUND(404, "No resource at this path."),
  /** The resource does not take this method. */
  METHOD_NOT_ALLOWED(405, "The resource does not take this method."),
  /** The resource cannot answer in a media type the {@code Accept} header allows. */
  NOT_ACCEPTABLE(406, "The resource cannot answer in a media type the Accept header allows."),
  /** The body is larger than the service takes. */
  TOO_LARGE(413, "The request body is larger than the service takes."),
  /** The resource does not take a body of this content type. */
  UNSUPPORTED_MEDIA_TYPE(415, "The resource does not take a body of this content type."),
  /** The service failed; the cause is in its log, not in the answer. */
  INTERNAL_ERROR(500, "The service failed to answer; the failure is in its log."),
  /** The service cannot answer now. */
  UNAVAILABLE(503, "The service cannot answer now; try again later.");

  private final int status;
  private final String detail;

  HttpProblem(int status, String detail) {
    this.status = status;
    this.detail = detail;
  }

  /** The status this problem is answered with. */
  public int status() {
    return status;
  }

  /** The code in the problem's {@code type}: the name in lower case, kebab-cased. */
  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A fixed sentence that says what went wrong without quoting the request. */
  public String detail() {
    return detail;
  }

  /**
   * The problem an error status gets when nothing more precise is known: its own for 404, 405, 406,
   * 413, 415 and 503, {@link #MALFORMED} for any other client error (the answer keeps its status),
   * {@link #INTERNAL_ERROR} for any other server error.
   */
  public static HttpProblem forStatus(int status) {
    for (HttpProblem problem : values()) {
      if (problem.status == status) {
        return problem;
      }
    }
    return status < 500 ? MALFORMED : INTERNAL_ERROR;
  }
}
