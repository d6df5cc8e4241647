package io.tally.gateway.audit.web;

import io.tally.gateway.audit.application.AuditReads;
import io.tally.gateway.audit.application.LedgerAudit;
import io.tally.service.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Problem Details of the auditors' reads: 403 {@code auditor-only}, 503 {@code ledger-unavailable};
 * 401 and {@code not-certified} are answered as for every read (the accounts' {@code
 * ReadProblemAdvice}); a bad parameter is service-support's 400 {@code malformed}.
 */
@RestControllerAdvice(assignableTypes = AuditController.class)
class AuditProblemAdvice {

  @ExceptionHandler
  ProblemDetail notAuditor(AuditReads.NotAuditor e) {
    return Problems.of(HttpStatus.FORBIDDEN, "AUDITOR_ONLY", String.valueOf(e.getMessage()));
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
