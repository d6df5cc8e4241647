package io.tally.engine;

import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.GenesisRules;

/**
 * The limits and windows the engine enforces. Every validator and ledger replica of a network must
 * run with equal rules, or they compute different outcomes, so the network fixes them in its
 * genesis (the optional {@code rules} member, {@link GenesisRules}; ADR 0019): {@link #of(Genesis)}
 * gives them, {@link #DEFAULT} filling in whatever the genesis leaves out. Production code takes
 * its rules from the genesis only ({@link Engine#Engine(Genesis, int)}, {@link
 * Engine#restore(Genesis, byte[])}); constructing other rules is for tests that vary a limit.
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

  /**
   * The rules of a genesis without {@code rules}: 16 legs, 10,000 records per block, {@code
   * notAfter} within 1 hour (governance 30 days), reservations up to 7 days, 16 current keys.
   */
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

  /**
   * The rules the network of {@code genesis} runs: each one its genesis gives, the others as in
   * {@link #DEFAULT}. The genesis checked their bounds when it loaded.
   */
  public static Rules of(Genesis genesis) {
    GenesisRules given = genesis.rules();
    return new Rules(
        given.legsMax().orElse(DEFAULT.legsMax),
        given.blockEntriesMax().orElse(DEFAULT.blockEntriesMax),
        given.instructionWindowMs().orElse(DEFAULT.instructionWindowMs),
        given.governanceWindowMs().orElse(DEFAULT.governanceWindowMs),
        given.reservationTtlMaxMs().orElse(DEFAULT.reservationTtlMaxMs),
        given.keysMax().orElse(DEFAULT.keysMax));
  }
}
