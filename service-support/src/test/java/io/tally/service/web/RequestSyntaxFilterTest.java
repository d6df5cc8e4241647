package io.tally.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestSyntaxFilterTest {

  @Test
  void wellFormedPathsAndQueriesPass() {
    assertThat(RequestSyntaxFilter.refusal("/v1/accounts/a-eur", null)).isNull();
    assertThat(RequestSyntaxFilter.refusal("/v1/accounts", "after=a-eur&limit=20")).isNull();
    assertThat(RequestSyntaxFilter.refusal("/v1/x/%C3%A9", "q=%C3%A9+b")).isNull();
    assertThat(RequestSyntaxFilter.refusal("/v1/accounts", "")).isNull();
  }

  @Test
  void invalidUtf8InTheQueryIsRefused() {
    assertThat(RequestSyntaxFilter.refusal("/v1/accounts", "after=%C3%28")).contains("query");
    assertThat(RequestSyntaxFilter.refusal("/v1/accounts", "limit=%FF")).contains("query");
  }

  @Test
  void nulAndControlCharactersAreRefusedInQueryAndPath() {
    assertThat(RequestSyntaxFilter.refusal("/v1/accounts", "after=%00")).contains("query");
    assertThat(RequestSyntaxFilter.refusal("/v1/accounts", "after=a%0Ab")).contains("query");
    assertThat(RequestSyntaxFilter.refusal("/v1/accounts/a%01", null)).contains("path");
    assertThat(RequestSyntaxFilter.refusal("/v1/accounts/a%C2%85", null)).contains("path");
  }

  @Test
  void brokenEscapesAreRefused() {
    assertThat(RequestSyntaxFilter.refusal("/v1/accounts", "after=%zz")).isNotNull();
    assertThat(RequestSyntaxFilter.refusal("/v1/accounts", "after=%4")).isNotNull();
    assertThat(RequestSyntaxFilter.refusal("/v1/accounts/%", null)).isNotNull();
  }

  @Test
  void overLongPathsAndQueriesAreRefused() {
    String longer = "a".repeat(RequestSyntaxFilter.TARGET_CHARS_MAX + 1);
    assertThat(RequestSyntaxFilter.refusal("/" + longer, null)).contains("longer");
    assertThat(RequestSyntaxFilter.refusal("/v1", "q=" + longer)).contains("longer");
  }
}
