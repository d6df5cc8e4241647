package io.tally.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

class ProblemErrorControllerTest {

  final ProblemErrorController errors = new ProblemErrorController();

  ResponseEntity<String> errorFor(int status, Throwable cause) {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
    request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
    request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, cause);
    return errors.error(request);
  }

  @Test
  void anExceptionNoAdviceMapsIsAnInternalErrorProblemWithoutItsText() {
    ResponseEntity<String> answer =
        errorFor(500, new IllegalStateException("secret: For input string: \"abc\""));
    assertThat(answer.getStatusCode().value()).isEqualTo(500);
    assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(answer.getBody())
        .contains("\"type\":\"urn:tally:problem:internal-error\"")
        .doesNotContain("secret")
        .doesNotContain("Exception");
  }

  @Test
  void aClientErrorKeepsItsStatusAndIsMalformed() {
    ResponseEntity<String> answer = errorFor(400, new IllegalStateException("parameter"));
    assertThat(answer.getStatusCode().value()).isEqualTo(400);
    assertThat(answer.getBody()).contains("\"type\":\"urn:tally:problem:malformed\"");
  }

  @Test
  void theErrorPageAskedForDirectlyIsNotFound() {
    ResponseEntity<String> answer = errors.error(new MockHttpServletRequest("GET", "/error"));
    assertThat(answer.getStatusCode().value()).isEqualTo(404);
    assertThat(answer.getBody()).contains("\"type\":\"urn:tally:problem:not-found\"");
  }
}
