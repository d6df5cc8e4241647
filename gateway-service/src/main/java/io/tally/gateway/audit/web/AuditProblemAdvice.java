package io.tally.gateway.audit.web;

import io.tally.gateway.accounts.application.AccessControl;
import io.tally.gateway.audit.application.AuditReads;
import io.tally.gateway.audit.application.LedgerAudit;
import io.tally.service.CertifiedReplica;
import io.tally.service.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Problem Details of the auditors' reads: 401 {@code unauthenticated} (with a Bearer challenge),
 * 403 {@code auditor-only}, 503 {@code ledger-unavailable} and {@code not-certified} (the replica
 * cannot read its directory yet); a bad parameter is service-support's 400 {@code malformed}.
 */
@RestControllerAdvice(assignableTypes = AuditController.class)
class AuditProblemAdvice {

  @ExceptionHandler
  ResponseEntity<ProblemDetail> unauthenticated(AccessControl.Unauthenticated e) {
    return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .body(
            Problems.of(
                HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", String.valueOf(e.getMessage())));
  }

  @ExceptionHandler
  ProblemDetail notAuditor(AuditReads.NotAuditor e) {
    return Problems.of(HttpStatus.FORBIDDEN, "AUDITOR_ONLY", String.valueOf(e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> notCertified(CertifiedReplica.NotCertified e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(
            Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE, "NOT_CERTIFIED", String.valueOf(e.getMessage())));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> unavailable(LedgerAudit.Unavailable e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(
            Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "LEDGER_UNAVAILABLE",
                String.valueOf(e.getMessage())));
  }
}
