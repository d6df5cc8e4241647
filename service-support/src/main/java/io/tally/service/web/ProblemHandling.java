package io.tally.service.web;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one handler of what Spring MVC refuses before or around a controller (no handler for the
 * path, wrong method, unacceptable {@code Accept}, wrong content type, a parameter of the wrong
 * type or missing, an unreadable body) and of {@link InvalidRequest}: each becomes Problem Details
 * with the stable type of its {@link HttpProblem} and a detail written here. A service's own advice
 * handles its own exception types only and never extends {@link ResponseEntityExceptionHandler}, so
 * that there is one answer per error.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ProblemHandling extends ResponseEntityExceptionHandler {

  /** A parameter, path or body outside what the API takes (checked at the web boundary). */
  @ExceptionHandler
  public ResponseEntity<ProblemDetail> invalidRequest(InvalidRequest e) {
    return Problems.answer(
        Problems.of(HttpProblem.MALFORMED, String.valueOf(e.getMessage())), HttpHeaders.EMPTY);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleExceptionInternal(
      Exception ex,
      @Nullable Object body,
      HttpHeaders headers,
      HttpStatusCode statusCode,
      WebRequest request) {
    HttpProblem problem = HttpProblem.forStatus(statusCode.value());
    HttpHeaders answer = new HttpHeaders();
    answer.putAll(headers);
    answer.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return super.handleExceptionInternal(
        ex,
        Problems.of(statusCode, problem.code(), detail(ex, problem)),
        answer,
        statusCode,
        request);
  }

  /** What went wrong, in words of this code: names of parameters and types, never a message. */
  private static String detail(Exception ex, HttpProblem problem) {
    if (ex instanceof TypeMismatchException mismatch) {
      Class<?> required = mismatch.getRequiredType();
      String name = mismatch.getPropertyName() == null ? "a parameter" : mismatch.getPropertyName();
      return required == null
          ? name + " has a value of the wrong type"
          : name + " must be " + kind(required);
    }
    if (ex instanceof MissingServletRequestParameterException missing) {
      return "parameter " + missing.getParameterName() + " is required";
    }
    if (ex instanceof HttpMessageNotReadableException) {
      return "The request body is not readable as the JSON this resource takes.";
    }
    if (ex instanceof HttpRequestMethodNotSupportedException method
        && method.getSupportedMethods() != null) {
      return "This resource takes " + String.join(", ", method.getSupportedMethods()) + ".";
    }
    if (ex instanceof HttpMediaTypeNotSupportedException media
        && !media.getSupportedMediaTypes().isEmpty()) {
      return "This resource takes " + media.getSupportedMediaTypes() + ".";
    }
    if (ex instanceof HttpMediaTypeNotAcceptableException media
        && !media.getSupportedMediaTypes().isEmpty()) {
      return "This resource answers " + media.getSupportedMediaTypes() + ".";
    }
    return problem.detail();
  }

  private static String kind(Class<?> type) {
    if (type == int.class
        || type == long.class
        || type == Integer.class
        || type == Long.class
        || type == short.class
        || type == Short.class) {
      return "an integer in range";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
  }
}
