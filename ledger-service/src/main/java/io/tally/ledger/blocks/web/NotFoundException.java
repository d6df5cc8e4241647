package io.tally.ledger.blocks.web;

/** Something asked for is not in the committed ledger (maybe not final yet). */
final class NotFoundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  NotFoundException(String detail) {
    super(detail);
  }
}
