package io.tally.ledger.blocks.web;

import io.tally.service.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The read API's own errors as RFC 9457 Problem Details: {@code not-found}. A malformed parameter
 * is service-support's {@code InvalidRequest} (400 {@code malformed}); what Spring MVC and Tomcat
 * refuse (wrong parameter type, unknown path, wrong method) is answered by service-support's {@code
 * ProblemHandling}, alike in every service.
 */
@RestControllerAdvice
class ProblemAdvice {

  @ExceptionHandler
  ProblemDetail notFound(NotFoundException e) {
    return Problems.of(HttpStatus.NOT_FOUND, "NOT_FOUND", String.valueOf(e.getMessage()));
  }
}
