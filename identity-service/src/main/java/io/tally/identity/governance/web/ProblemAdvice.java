package io.tally.identity.governance.web;

import io.tally.identity.governance.domain.Refusal;
import io.tally.service.CertifiedReplica;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every refusal as RFC 9457 Problem Details with a stable {@code type} naming its rule ({@code
 * urn:tally:problem:key-possession-unproven}, ...); Spring MVC's own errors (unreadable body, wrong
 * content type) keep its standard Problem Details.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

  @ExceptionHandler
  ProblemDetail refused(Refusal refusal) {
    HttpStatus status =
        switch (refusal.reason()) {
          case MALFORMED, KEY_POSSESSION_UNPROVEN, EXPIRED, NOT_AFTER_TOO_FAR ->
              HttpStatus.BAD_REQUEST;
          case SIGNATURE_INVALID -> HttpStatus.UNAUTHORIZED;
          case NOT_AN_ADMINISTRATOR -> HttpStatus.FORBIDDEN;
          case ALREADY_APPROVED, ID_CONFLICT -> HttpStatus.CONFLICT;
          case UNKNOWN_PROPOSAL, UNKNOWN_PARTICIPANT -> HttpStatus.NOT_FOUND;
        };
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, refusal.getMessage());
    String code = refusal.reason().name().toLowerCase(Locale.ROOT).replace('_', '-');
    problem.setType(URI.create("urn:tally:problem:" + code));
    problem.setTitle(refusal.reason().name());
    return problem;
  }

  /** A directory read while the replica's newest block is not certified yet: 503, retry. */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> notCertified(CertifiedReplica.NotCertified e) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    problem.setType(URI.create("urn:tally:problem:not-certified"));
    problem.setTitle("NOT_CERTIFIED");
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(problem);
  }
}
