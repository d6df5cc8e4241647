package io.tally.gateway.accounts.web;

import io.tally.gateway.accounts.application.AccessControl;
import io.tally.service.CertifiedReplica;
import io.tally.service.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Problem Details every authenticated read answers alike, whichever controller: 401 {@code
 * unauthenticated} with a Bearer challenge (no, invalid, expired or replayed access token), and 503
 * {@code not-certified} with {@code Retry-After} while the replica holds a block whose certificate
 * has not come.
 */
@RestControllerAdvice
class ReadProblemAdvice {

  @ExceptionHandler
  ResponseEntity<ProblemDetail> unauthenticated(AccessControl.Unauthenticated e) {
    return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .body(
            Problems.of(
                HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", String.valueOf(e.getMessage())));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> notCertified(CertifiedReplica.NotCertified e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(
            Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE, "NOT_CERTIFIED", String.valueOf(e.getMessage())));
  }
}
