package io.tally.identity.governance.web;

import io.tally.identity.governance.domain.Refusal;
import io.tally.service.CertifiedReplica;
import io.tally.service.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every refusal as RFC 9457 Problem Details with a stable {@code type} naming its rule ({@code
 * urn:tally:problem:key-possession-unproven}, ...). What Spring MVC and Tomcat refuse (an
 * unreadable body: {@code malformed}, a wrong content type, method or parameter type) is answered
 * by service-support's {@code ProblemHandling}, alike in every service.
 */
@RestControllerAdvice
class ProblemAdvice {

  /** The status a refusal for {@code reason} is answered with (also the OpenAPI document's). */
  static HttpStatus status(Refusal.Reason reason) {
    return switch (reason) {
      case MALFORMED, KEY_POSSESSION_UNPROVEN, EXPIRED, NOT_AFTER_TOO_FAR -> HttpStatus.BAD_REQUEST;
      case SIGNATURE_INVALID -> HttpStatus.UNAUTHORIZED;
      case NOT_AN_ADMINISTRATOR -> HttpStatus.FORBIDDEN;
      case ALREADY_APPROVED, ID_CONFLICT -> HttpStatus.CONFLICT;
      case UNKNOWN_PROPOSAL, UNKNOWN_PARTICIPANT -> HttpStatus.NOT_FOUND;
    };
  }

  @ExceptionHandler
  ProblemDetail refused(Refusal refusal) {
    return Problems.of(
        status(refusal.reason()), refusal.reason().name(), String.valueOf(refusal.getMessage()));
  }

  /** A directory read while the replica's newest block is not certified yet: 503, retry. */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> notCertified(CertifiedReplica.NotCertified e) {
    ProblemDetail problem =
        Problems.of(
            HttpStatus.SERVICE_UNAVAILABLE, "NOT_CERTIFIED", String.valueOf(e.getMessage()));
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(problem);
  }
}
