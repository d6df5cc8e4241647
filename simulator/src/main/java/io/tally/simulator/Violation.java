package io.tally.simulator;

/** An invariant broken in a simulated run: a bug, reproducible from the run's seed. */
public final class Violation extends RuntimeException {

  private static final long serialVersionUID = 1L;

  Violation(String message) {
    super(message);
  }
}
