package io.tally.gateway.instructions.web;

import io.tally.engine.Code;
import io.tally.gateway.instructions.application.Backlog;
import io.tally.gateway.instructions.application.ChainGuard;
import io.tally.gateway.instructions.application.IssueReceipt;
import io.tally.gateway.instructions.application.LogUnavailable;
import io.tally.gateway.instructions.application.NotCaughtUp;
import io.tally.gateway.instructions.application.Rejected;
import io.tally.service.web.Problems;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The instructions' errors as RFC 9457 Problem Details with a stable {@code type}: the engine's
 * code for a rejected instruction ({@code urn:tally:problem:signature-invalid}, ...), {@code
 * too-large}, {@code unknown-instruction}, {@code log-unavailable}, {@code not-caught-up}. Only the
 * gateway's own exception types are mapped here; what Spring MVC and Tomcat refuse (405, 406, 415,
 * a parameter of the wrong type, ...) is answered by service-support's {@code ProblemHandling},
 * alike in every service.
 */
@RestControllerAdvice
class ProblemAdvice {

  /** The HTTP status a rejection by the engine's rule {@code code} gets. */
  static HttpStatus status(Code code) {
    return switch (code) {
      case SIGNATURE_INVALID, SIGNER_UNKNOWN, SIGNER_DUPLICATE -> HttpStatus.UNAUTHORIZED;
      case DUPLICATE_CONFLICT -> HttpStatus.CONFLICT;
      default -> HttpStatus.BAD_REQUEST;
    };
  }

  @ExceptionHandler
  ProblemDetail rejected(Rejected rejected) {
    return problem(status(rejected.code()), rejected.code().name(), rejected.getMessage());
  }

  @ExceptionHandler
  ProblemDetail badBatch(InstructionController.BadBatch e) {
    return e.tooLarge()
        ? problem(HttpStatus.CONTENT_TOO_LARGE, "BATCH_TOO_LARGE", e.getMessage())
        : problem(HttpStatus.BAD_REQUEST, "MALFORMED", e.getMessage());
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> overloaded(Backlog.Overloaded e) {
    return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
        .body(problem(HttpStatus.TOO_MANY_REQUESTS, "OVERLOADED", e.getMessage()));
  }

  @ExceptionHandler
  ProblemDetail contended(ChainGuard.Contended e) {
    // No Retry-After: it does not pass by itself; another gateway instance takes the instruction.
    return problem(HttpStatus.SERVICE_UNAVAILABLE, "PRODUCER_CONTENDED", e.getMessage());
  }

  @ExceptionHandler
  ProblemDetail tooLarge(InstructionController.TooLarge e) {
    return problem(HttpStatus.CONTENT_TOO_LARGE, "TOO_LARGE", e.getMessage());
  }

  @ExceptionHandler
  ProblemDetail unknown(InstructionController.Unknown e) {
    return problem(HttpStatus.NOT_FOUND, "UNKNOWN_INSTRUCTION", e.getMessage());
  }

  @ExceptionHandler
  ProblemDetail notFinal(IssueReceipt.NotFinal e) {
    return problem(HttpStatus.NOT_FOUND, "UNKNOWN_INSTRUCTION", e.getMessage());
  }

  /** The ledger has not committed the block yet: asking again shortly will succeed. */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> receiptUnavailable(IssueReceipt.Pending e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "RECEIPT_UNAVAILABLE", e.getMessage()));
  }

  /**
   * The ledger's parts do not check out: asking again gives the same parts, so no Retry-After (ADR
   * 0015); 502 because the upstream ledger answered something invalid.
   */
  @ExceptionHandler
  ProblemDetail receiptInvalid(IssueReceipt.Invalid e) {
    return problem(HttpStatus.BAD_GATEWAY, "RECEIPT_INVALID", e.getMessage());
  }

  /** The replica is still reading the log after a start: asking again shortly is answered. */
  @ExceptionHandler
  ResponseEntity<ProblemDetail> notCaughtUp(NotCaughtUp e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "NOT_CAUGHT_UP", e.getMessage()));
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> logUnavailable(LogUnavailable e) {
    ProblemDetail problem =
        problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "LOG_UNAVAILABLE",
            "the log did not acknowledge the instruction; it may or may not be written: submit"
                + " it again, the network applies an id once");
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "1")
        .body(problem);
  }

  private static ProblemDetail problem(HttpStatus status, String code, @Nullable String detail) {
    return Problems.of(status, code, String.valueOf(detail));
  }
}
