package io.tally.ledger.blocks.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 Problem Details. The API's own errors carry a stable {@code type}; errors
 * Spring MVC detects itself (wrong parameter type, unknown path, wrong method) keep its standard
 * Problem Details.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

  static final URI NOT_FOUND = URI.create("urn:tally:problem:not-found");
  static final URI BAD_REQUEST = URI.create("urn:tally:problem:bad-request");

  @ExceptionHandler
  ProblemDetail notFound(NotFoundException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    problem.setType(NOT_FOUND);
    problem.setTitle("Not found");
    return problem;
  }

  @ExceptionHandler
  ProblemDetail badRequest(BadRequestException e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    problem.setType(BAD_REQUEST);
    problem.setTitle("Bad request");
    return problem;
  }
}
