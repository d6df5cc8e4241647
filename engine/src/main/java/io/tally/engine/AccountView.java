package io.tally.engine;

/** A read-only copy of an account's state. */
public record AccountView(
    String id,
    String owner,
    String asset,
    boolean issuance,
    boolean overdraft,
    long postedDebits,
    long postedCredits,
    long pendingDebits,
    long pendingCredits) {

  /** Posted credits minus posted debits (may be negative for issuance and overdraft accounts). */
  public long postedBalance() {
    return postedCredits - postedDebits;
  }

  /** What a no-overdraft account can still pay: posted balance minus pending debits. */
  public long available() {
    return postedCredits - postedDebits - pendingDebits;
  }
}
