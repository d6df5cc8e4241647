package io.tally.gateway.instructions.application;

import io.tally.engine.Code;

/** An instruction the gateway rejects before writing it, with the engine's code. */
public final class Rejected extends Exception {

  private static final long serialVersionUID = 1L;

  private final Code code;

  public Rejected(Code code, String detail) {
    super(detail);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
