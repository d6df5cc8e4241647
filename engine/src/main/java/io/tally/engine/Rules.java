package io.tally.engine;

/**
 * The limits and windows the engine enforces. Every validator and ledger replica of a network must
 * run with equal rules, or they compute different outcomes; {@link #DEFAULT} is the only set used
 * today. (Moving them into the genesis is planned: then the network fixes them.)
 *
 * @param legsMax most legs in one settlement or reservation
 * @param blockEntriesMax most log records in one block
 * @param instructionWindowMs how far ahead of log time a participant instruction's {@code notAfter}
 *     may lie; bounds how long its id is remembered
 * @param governanceWindowMs the same for governance changes, which take longer to approve
 * @param reservationTtlMaxMs how far ahead of log time a reservation may expire
 * @param keysMax most current (unrevoked) keys one participant may hold
 */
public record Rules(
    int legsMax,
    int blockEntriesMax,
    long instructionWindowMs,
    long governanceWindowMs,
    long reservationTtlMaxMs,
    int keysMax) {

  public static final Rules DEFAULT =
      new Rules(
          16, 10_000, 60 * 60 * 1000L, 30L * 24 * 60 * 60 * 1000, 7L * 24 * 60 * 60 * 1000, 16);

  public Rules {
    if (legsMax < 1 || blockEntriesMax < 1 || keysMax < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (instructionWindowMs < 1 || governanceWindowMs < 1 || reservationTtlMaxMs < 1) {
      throw new IllegalArgumentException("windows must be positive");
    }
  }
}
