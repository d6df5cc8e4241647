package io.tally.protocol.genesis;

import io.tally.protocol.Limits;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The optional {@code rules} member of a genesis: the limits and windows every engine of the
 * network enforces, so that every validator and ledger replica runs equal rules (ADR 0019). Each
 * member is optional; one that is missing takes the engine's default ({@code
 * io.tally.engine.Rules.DEFAULT}), and a genesis without {@code rules} gives the defaults
 * throughout.
 *
 * <pre>
 * "rules":{"legsMax":16,"blockEntriesMax":10000,"instructionWindowMs":3600000,
 *          "governanceWindowMs":2592000000,"reservationTtlMaxMs":604800000,"keysMax":16}
 * </pre>
 *
 * <p>Every value present is an integer within the bounds below, checked when the genesis loads: the
 * rules decide how much every engine holds in memory (legs, records per block, remembered ids and
 * reservations), so a genesis cannot make them unbounded.
 *
 * @param legsMax most legs in one settlement or reservation, 1 to {@link #LEGS_MAX_HIGHEST}
 * @param blockEntriesMax most log records in one block, 1 to {@link #BLOCK_ENTRIES_MAX_HIGHEST}
 * @param instructionWindowMs how far ahead of log time a participant instruction's {@code notAfter}
 *     may lie, {@link #WINDOW_MS_LOWEST} to {@link #INSTRUCTION_WINDOW_MS_HIGHEST}
 * @param governanceWindowMs the same for governance changes, {@link #WINDOW_MS_LOWEST} to {@link
 *     #GOVERNANCE_WINDOW_MS_HIGHEST}
 * @param reservationTtlMaxMs how far ahead of log time a reservation may expire, {@link
 *     #WINDOW_MS_LOWEST} to {@link #RESERVATION_TTL_MAX_MS_HIGHEST}
 * @param keysMax most current keys one participant may hold, 1 to {@link #KEYS_MAX_HIGHEST}
 */
public record GenesisRules(
    OptionalInt legsMax,
    OptionalInt blockEntriesMax,
    OptionalLong instructionWindowMs,
    OptionalLong governanceWindowMs,
    OptionalLong reservationTtlMaxMs,
    OptionalInt keysMax) {

  /** No rules given: the engine's defaults throughout. */
  public static final GenesisRules NONE =
      new GenesisRules(
          OptionalInt.empty(),
          OptionalInt.empty(),
          OptionalLong.empty(),
          OptionalLong.empty(),
          OptionalLong.empty(),
          OptionalInt.empty());

  /**
   * Highest {@code legsMax}: every debtor of a settlement signs it, and one JWS carries at most
   * {@link Limits#JWS_SIGNATURES_MAX} signatures.
   */
  public static final int LEGS_MAX_HIGHEST = Limits.JWS_SIGNATURES_MAX;

  /** Highest {@code blockEntriesMax}: a block is applied, certified and stored whole. */
  public static final int BLOCK_ENTRIES_MAX_HIGHEST = 100_000;

  /**
   * Lowest value of each window: a shorter one leaves a front door no time to bring an entry into
   * the log before it expires.
   */
  public static final long WINDOW_MS_LOWEST = 1_000;

  /** Highest {@code instructionWindowMs} (1 day): ids are remembered for the window. */
  public static final long INSTRUCTION_WINDOW_MS_HIGHEST = 24L * 60 * 60 * 1000;

  /** Highest {@code governanceWindowMs} (90 days). */
  public static final long GOVERNANCE_WINDOW_MS_HIGHEST = 90L * 24 * 60 * 60 * 1000;

  /** Highest {@code reservationTtlMaxMs} (90 days): open reservations are held in memory. */
  public static final long RESERVATION_TTL_MAX_MS_HIGHEST = 90L * 24 * 60 * 60 * 1000;

  /**
   * Highest {@code keysMax}: a registration carries the signature of every key it brings in, next
   * to the administrators', in one JWS of at most {@link Limits#JWS_SIGNATURES_MAX} signatures.
   */
  public static final int KEYS_MAX_HIGHEST = Limits.JWS_SIGNATURES_MAX / 2;

  /**
   * @throws IllegalArgumentException if a value present is outside its bounds
   */
  public GenesisRules {
    String broken =
        broken(
            legsMax,
            blockEntriesMax,
            instructionWindowMs,
            governanceWindowMs,
            reservationTtlMaxMs,
            keysMax);
    if (broken != null) {
      throw new IllegalArgumentException(broken);
    }
  }

  /** Whether no rule is given. */
  public boolean isEmpty() {
    return equals(NONE);
  }

  public GenesisRules withLegsMax(int value) {
    return new GenesisRules(
        OptionalInt.of(value),
        blockEntriesMax,
        instructionWindowMs,
        governanceWindowMs,
        reservationTtlMaxMs,
        keysMax);
  }

  public GenesisRules withBlockEntriesMax(int value) {
    return new GenesisRules(
        legsMax,
        OptionalInt.of(value),
        instructionWindowMs,
        governanceWindowMs,
        reservationTtlMaxMs,
        keysMax);
  }

  public GenesisRules withInstructionWindowMs(long value) {
    return new GenesisRules(
        legsMax,
        blockEntriesMax,
        OptionalLong.of(value),
        governanceWindowMs,
        reservationTtlMaxMs,
        keysMax);
  }

  public GenesisRules withGovernanceWindowMs(long value) {
    return new GenesisRules(
        legsMax,
        blockEntriesMax,
        instructionWindowMs,
        OptionalLong.of(value),
        reservationTtlMaxMs,
        keysMax);
  }

  public GenesisRules withReservationTtlMaxMs(long value) {
    return new GenesisRules(
        legsMax,
        blockEntriesMax,
        instructionWindowMs,
        governanceWindowMs,
        OptionalLong.of(value),
        keysMax);
  }

  public GenesisRules withKeysMax(int value) {
    return new GenesisRules(
        legsMax,
        blockEntriesMax,
        instructionWindowMs,
        governanceWindowMs,
        reservationTtlMaxMs,
        OptionalInt.of(value));
  }

  /** The first bound broken, as a sentence naming the member, or null when all hold. */
  private static @Nullable String broken(
      OptionalInt legsMax,
      OptionalInt blockEntriesMax,
      OptionalLong instructionWindowMs,
      OptionalLong governanceWindowMs,
      OptionalLong reservationTtlMaxMs,
      OptionalInt keysMax) {
    String broken = outside("legsMax", legsMax, 1, LEGS_MAX_HIGHEST);
    if (broken == null) {
      broken = outside("blockEntriesMax", blockEntriesMax, 1, BLOCK_ENTRIES_MAX_HIGHEST);
    }
    if (broken == null) {
      broken =
          outside(
              "instructionWindowMs",
              instructionWindowMs,
              WINDOW_MS_LOWEST,
              INSTRUCTION_WINDOW_MS_HIGHEST);
    }
    if (broken == null) {
      broken =
          outside(
              "governanceWindowMs",
              governanceWindowMs,
              WINDOW_MS_LOWEST,
              GOVERNANCE_WINDOW_MS_HIGHEST);
    }
    if (broken == null) {
      broken =
          outside(
              "reservationTtlMaxMs",
              reservationTtlMaxMs,
              WINDOW_MS_LOWEST,
              RESERVATION_TTL_MAX_MS_HIGHEST);
    }
    if (broken == null) {
      broken = outside("keysMax", keysMax, 1, KEYS_MAX_HIGHEST);
    }
    return broken;
  }

  private static @Nullable String outside(String name, OptionalInt value, int lowest, int highest) {
    return value.isPresent() ? outside(name, value.getAsInt(), lowest, highest) : null;
  }

  private static @Nullable String outside(
      String name, OptionalLong value, long lowest, long highest) {
    return value.isPresent() ? outside(name, value.getAsLong(), lowest, highest) : null;
  }

  /** Also used while parsing, before a value that may not fit an int is narrowed. */
  static @Nullable String outside(String name, long value, long lowest, long highest) {
    if (value >= lowest && value <= highest) {
      return null;
    }
    return "rules." + name + " must be between " + lowest + " and " + highest + ", got " + value;
  }
}
