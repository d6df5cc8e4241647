package io.tally.service.web;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.jspecify.annotations.Nullable;

/**
 * Tomcat's error report as Problem Details. Tomcat answers some requests itself, before any servlet
 * or filter of the application runs: an encoded slash or backslash, NUL or invalid UTF-8 in the
 * path, a character the request line may not hold, headers beyond {@code
 * server.max-http-request-header-size}. Its own report is an HTML page with the exception's message
 * (and, for a parse error, its stack trace); this one is {@code application/problem+json} with the
 * status's {@link HttpProblem} and its fixed detail.
 */
public class ProblemReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, @Nullable Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    HttpProblem problem = HttpProblem.forStatus(status);
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(Problems.json(status, problem.code(), problem.detail()));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the answer is committed: nothing more can be said to it.
    }
  }
}
