package io.tally.gateway.accounts.web;

/**
 * Amounts in JSON answers: decimal strings of a signed 64-bit integer of minor units (ADR 0005, ADR
 * 0015), so that a client whose numbers are IEEE doubles (JavaScript) keeps every unit.
 */
final class Amounts {

  /** The form of an amount in a JSON answer, for OpenAPI: an optional minus, decimal digits. */
  static final String PATTERN = "^-?[0-9]{1,19}$";

  private Amounts() {}

  /** {@code units} as a decimal string. */
  static String text(long units) {
    return Long.toString(units);
  }
}
