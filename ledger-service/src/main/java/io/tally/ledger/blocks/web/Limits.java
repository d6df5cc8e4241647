package io.tally.ledger.blocks.web;

/** Page sizes the API accepts. */
final class Limits {

  static final int PAGE_MAX = 100;

  private Limits() {}

  static int page(int limit) {
    if (limit < 1 || limit > PAGE_MAX) {
      throw new BadRequestException("limit must be between 1 and " + PAGE_MAX + ", got " + limit);
    }
    return limit;
  }

  static long nonNegative(String name, long value) {
    if (value < 0) {
      throw new BadRequestException(name + " must not be negative, got " + value);
    }
    return value;
  }
}
