package io.tally.gateway.accounts.web;

import io.tally.service.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Problem Details for the account reads: 403, 404, 503 {@code history-unavailable}; 401 and {@code
 * not-certified} are {@link ReadProblemAdvice}'s; a malformed parameter is service-support's {@code
 * InvalidRequest} (400 {@code malformed}).
 */
@RestControllerAdvice(assignableTypes = AccountController.class)
class AccountProblemAdvice {

  @ExceptionHandler
  ProblemDetail forbidden(AccountController.Forbidden e) {
    return Problems.of(HttpStatus.FORBIDDEN, "FORBIDDEN", String.valueOf(e.getMessage()));
  }

  @ExceptionHandler
  ProblemDetail notVisible(AccountController.NotVisible e) {
    return Problems.of(HttpStatus.NOT_FOUND, "UNKNOWN_ACCOUNT", String.valueOf(e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> historyUnavailable(AccountController.HistoryUnavailable e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(
            Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "HISTORY_UNAVAILABLE",
                String.valueOf(e.getMessage())));
  }
}
