package io.tally.ledger.blocks.web;

import io.tally.service.web.RequestParameters;

/** Page sizes and positions the API accepts (400 {@code malformed} beyond them). */
final class Limits {

  static final int PAGE_MAX = 100;

  private Limits() {}

  static int page(int limit) {
    return RequestParameters.limit("limit", limit, PAGE_MAX);
  }

  static long nonNegative(String name, long value) {
    return RequestParameters.nonNegative(name, value);
  }
}
