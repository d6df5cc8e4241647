package io.tally.service.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page ({@code server.error.path}, {@code /error}) as Problem Details: what reaches it
 * escaped every handler (Tomcat's parameter parsing, a servlet filter, an exception no advice
 * maps). Replaces Boot's {@code BasicErrorController}, whose JSON is not RFC 9457. The body is
 * written with its content type set, so that no {@code Accept} header turns the error into another.
 */
@RestController
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ProblemErrorController implements ErrorController {

  /** Every method: the error page answers whatever request failed. */
  @RequestMapping
  public ResponseEntity<String> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    // Asked for directly, the error page is no resource.
    int status = code instanceof Integer given && given >= 400 ? given : 404;
    HttpProblem problem = HttpProblem.forStatus(status);
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(Problems.json(status, problem.code(), problem.detail()));
  }
}
