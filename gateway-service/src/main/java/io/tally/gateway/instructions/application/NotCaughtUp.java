package io.tally.gateway.instructions.application;

/**
 * A signature names a key this gateway does not know yet while its replica has not read the log to
 * its end since it started: the key may be registered in a block not read yet, so the submission is
 * neither refused nor written; asking again shortly is answered for good.
 */
public final class NotCaughtUp extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public NotCaughtUp() {
    super(
        "this gateway is still reading the log after a start and does not know a key the"
            + " instruction names yet; submit it again shortly");
  }
}
