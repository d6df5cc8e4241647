package io.tally.engine;

import org.jspecify.annotations.Nullable;

/**
 * One leg's movement applied by a block: what a ledger stores as the account history. The legs of
 * one settlement, reservation, commit or release appear in leg order; movements appear in the order
 * the engine applied them.
 *
 * @param offset the log offset of the record that caused it (for an expiry: the first record whose
 *     log time passed the reservation's expiry)
 * @param instructionId the instruction applied, or null for an expiry
 * @param movement what the leg did to the balances
 * @param reservation the reservation held, committed or released, or null for a settlement
 * @param debit the debited account
 * @param credit the credited account
 * @param asset the asset code
 * @param amount in the asset's minor unit, {@code > 0}
 */
public record Posting(
    long offset,
    @Nullable String instructionId,
    Movement movement,
    @Nullable String reservation,
    String debit,
    String credit,
    String asset,
    long amount) {

  /** What a leg did to the balances of its accounts. */
  public enum Movement {
    /** A settlement posted the amount. */
    SETTLED,
    /** A reservation added the amount to pending. */
    RESERVED,
    /** A commit moved the amount from pending to posted. */
    COMMITTED,
    /** A cancel removed the amount from pending. */
    CANCELLED,
    /** The reservation expired: the amount left pending. */
    EXPIRED
  }
}
