package io.tally.ledger.blocks.web;

/** A request parameter outside what the API accepts. */
final class BadRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  BadRequestException(String detail) {
    super(detail);
  }
}
