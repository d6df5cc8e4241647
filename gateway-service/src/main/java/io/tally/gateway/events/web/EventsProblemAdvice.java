package io.tally.gateway.events.web;

import io.tally.gateway.events.application.FinalityFeed;
import io.tally.gateway.events.application.WebhookDelivery;
import io.tally.gateway.events.application.WebhookStore;
import io.tally.gateway.events.application.Webhooks;
import io.tally.service.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The events' and webhooks' Problem Details: 410 {@code events-expired} (a resume point or a
 * replayed block older than the events this gateway holds), 400 {@code webhook-refused}, 404 {@code
 * unknown-webhook}, 502 {@code webhook-undelivered} (a replay the endpoint did not take), 503
 * {@code webhook-store-unavailable} with {@code Retry-After}. They are answered as JSON whatever
 * the request accepts (an SSE request's {@code Accept} is {@code text/event-stream}).
 */
@RestControllerAdvice
class EventsProblemAdvice {

  @ExceptionHandler
  ResponseEntity<ProblemDetail> expired(FinalityFeed.Expired e) {
    return answer(HttpStatus.GONE, "EVENTS_EXPIRED", e.getMessage(), new HttpHeaders());
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> refused(Webhooks.Refused e) {
    return answer(HttpStatus.BAD_REQUEST, "WEBHOOK_REFUSED", e.getMessage(), new HttpHeaders());
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> notFound(Webhooks.NotFound e) {
    return answer(HttpStatus.NOT_FOUND, "UNKNOWN_WEBHOOK", e.getMessage(), new HttpHeaders());
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> undelivered(WebhookDelivery.Undelivered e) {
    return answer(HttpStatus.BAD_GATEWAY, "WEBHOOK_UNDELIVERED", e.getMessage(), new HttpHeaders());
  }

  @ExceptionHandler
  ResponseEntity<ProblemDetail> unavailable(WebhookStore.Unavailable e) {
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.RETRY_AFTER, "1");
    return answer(
        HttpStatus.SERVICE_UNAVAILABLE, "WEBHOOK_STORE_UNAVAILABLE", e.getMessage(), headers);
  }

  private static ResponseEntity<ProblemDetail> answer(
      HttpStatus status,
      String code,
      @org.jspecify.annotations.Nullable String detail,
      HttpHeaders headers) {
    return Problems.answer(Problems.of(status, code, String.valueOf(detail)), headers);
  }
}
