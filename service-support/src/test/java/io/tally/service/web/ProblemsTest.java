package io.tally.service.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

class ProblemsTest {

  @Test
  void theTypeIsTheCodeInKebabCaseWhicheverWayItIsWritten() {
    assertThat(Problems.type("SIGNATURE_INVALID").toString())
        .isEqualTo("urn:tally:problem:signature-invalid");
    assertThat(Problems.type("signature-invalid")).isEqualTo(Problems.type("SIGNATURE_INVALID"));
  }

  @Test
  void aProblemCarriesTypeTitleStatusAndDetail() {
    ProblemDetail problem = Problems.of(HttpStatus.NOT_FOUND, "UNKNOWN_ACCOUNT", "no such account");
    assertThat(problem.getType()).hasToString("urn:tally:problem:unknown-account");
    assertThat(problem.getTitle()).isEqualTo("UNKNOWN_ACCOUNT");
    assertThat(problem.getStatus()).isEqualTo(404);
    assertThat(problem.getDetail()).isEqualTo("no such account");
  }

  @Test
  void theJsonEscapesTheDetail() {
    assertThat(Problems.json(400, "malformed", "a \"quoted\" \\ and \u0001"))
        .isEqualTo(
            "{\"type\":\"urn:tally:problem:malformed\",\"title\":\"MALFORMED\",\"status\":400,"
                + "\"detail\":\"a \\\"quoted\\\" \\\\ and \\u0001\"}");
  }

  @Test
  void everyErrorStatusHasAProblem() {
    assertThat(HttpProblem.forStatus(404)).isEqualTo(HttpProblem.NOT_FOUND);
    assertThat(HttpProblem.forStatus(405)).isEqualTo(HttpProblem.METHOD_NOT_ALLOWED);
    assertThat(HttpProblem.forStatus(406)).isEqualTo(HttpProblem.NOT_ACCEPTABLE);
    assertThat(HttpProblem.forStatus(415)).isEqualTo(HttpProblem.UNSUPPORTED_MEDIA_TYPE);
    assertThat(HttpProblem.forStatus(400)).isEqualTo(HttpProblem.MALFORMED);
    assertThat(HttpProblem.forStatus(431)).isEqualTo(HttpProblem.MALFORMED);
    assertThat(HttpProblem.forStatus(503)).isEqualTo(HttpProblem.UNAVAILABLE);
    assertThat(HttpProblem.forStatus(502)).isEqualTo(HttpProblem.INTERNAL_ERROR);
    assertThat(HttpProblem.UNSUPPORTED_MEDIA_TYPE.code()).isEqualTo("unsupported-media-type");
  }

  @Test
  void parametersOutsideTheirSyntaxOrRangeAreInvalidRequests() {
    Pattern id = Pattern.compile("[a-z]{1,8}");
    assertThat(RequestParameters.id("id", "abc", id)).isEqualTo("abc");
    assertThat(RequestParameters.cursor("after", "", id)).isEmpty();
    assertThatThrownBy(() -> RequestParameters.id("id", "a\0", id))
        .isInstanceOf(InvalidRequest.class)
        .hasMessage("id must match [a-z]{1,8}");
    assertThatThrownBy(() -> RequestParameters.id("id", "a".repeat(10_000), id))
        .isInstanceOf(InvalidRequest.class);
    assertThatThrownBy(() -> RequestParameters.limit("limit", 0, 100))
        .isInstanceOf(InvalidRequest.class);
    assertThatThrownBy(() -> RequestParameters.nonNegative("after", -1))
        .isInstanceOf(InvalidRequest.class);
  }
}
