package io.tally.engine;

import io.tally.engine.Command.Leg;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Applies the legs of one settlement, reservation, commit or release all or none: balances are
 * computed into scratch copies of the touched accounts, leg by leg in order, and written back only
 * when every leg passed. Reused for every entry (the engine applies on one thread), so the hot path
 * allocates nothing.
 */
final class LegScratch {

  /** What a leg does to its accounts. */
  enum Move {
    /** Settle: post the amount at once. */
    POST,
    /** Reserve: add the amount to pending. */
    HOLD,
    /** Commit: move the amount from pending to posted. */
    COMMIT,
    /** Cancel or expiry: remove the amount from pending. */
    RELEASE
  }

  private final Account[] debits;
  private final Account[] credits;
  private final Account[] touched;
  private final long[] postedDebits;
  private final long[] postedCredits;
  private final long[] pendingDebits;
  private final long[] pendingCredits;
  private int count;

  LegScratch(int legsMax) {
    debits = new Account[legsMax];
    credits = new Account[legsMax];
    touched = new Account[legsMax * 2];
    postedDebits = new long[legsMax * 2];
    postedCredits = new long[legsMax * 2];
    pendingDebits = new long[legsMax * 2];
    pendingCredits = new long[legsMax * 2];
  }

  /** Looks up the debit and credit account of every leg. */
  Code resolve(List<Leg> legs, Map<String, Account> accounts) {
    for (int i = 0; i < legs.size(); i++) {
      Leg leg = legs.get(i);
      Account debit = accounts.get(leg.debit());
      Account credit = accounts.get(leg.credit());
      if (debit == null || credit == null) {
        return Code.ACCOUNT_UNKNOWN;
      }
      debits[i] = debit;
      credits[i] = credit;
    }
    return Code.ACCEPTED;
  }

  Account debit(int leg) {
    return debits[leg];
  }

  Account credit(int leg) {
    return credits[leg];
  }

  /** Computes the legs, resolved before, into the scratch; nothing is written yet. */
  Code move(List<Leg> legs, Move move) {
    count = 0;
    try {
      for (int i = 0; i < legs.size(); i++) {
        long amount = legs.get(i).amount();
        int d = slot(debits[i]);
        int c = slot(credits[i]);
        switch (move) {
          case POST -> {
            long debited = Math.addExact(postedDebits[d], amount);
            if (!debits[i].mayGoNegative()
                && Math.addExact(debited, pendingDebits[d]) > postedCredits[d]) {
              return Code.INSUFFICIENT_FUNDS;
            }
            postedDebits[d] = debited;
            postedCredits[c] = Math.addExact(postedCredits[c], amount);
          }
          case HOLD -> {
            long held = Math.addExact(pendingDebits[d], amount);
            if (!debits[i].mayGoNegative()
                && Math.addExact(postedDebits[d], held) > postedCredits[d]) {
              return Code.INSUFFICIENT_FUNDS;
            }
            pendingDebits[d] = held;
            pendingCredits[c] = Math.addExact(pendingCredits[c], amount);
          }
          case COMMIT -> {
            release(d, c, amount);
            postedDebits[d] = Math.addExact(postedDebits[d], amount);
            postedCredits[c] = Math.addExact(postedCredits[c], amount);
          }
          case RELEASE -> release(d, c, amount);
        }
      }
    } catch (ArithmeticException e) {
      return Code.AMOUNT_OVERFLOW;
    }
    return Code.ACCEPTED;
  }

  private void release(int d, int c, long amount) {
    if (pendingDebits[d] < amount || pendingCredits[c] < amount) {
      throw new AssertionError("releasing more than is pending on " + touched[d].id);
    }
    pendingDebits[d] -= amount;
    pendingCredits[c] -= amount;
  }

  /** Writes the computed balances back into the accounts and reports each as changed. */
  void writeBack(Consumer<Account> changed) {
    for (int i = 0; i < count; i++) {
      Account account = touched[i];
      account.postedDebits = postedDebits[i];
      account.postedCredits = postedCredits[i];
      account.pendingDebits = pendingDebits[i];
      account.pendingCredits = pendingCredits[i];
      changed.accept(account);
      touched[i] = null;
    }
    count = 0;
  }

  private int slot(Account account) {
    for (int i = 0; i < count; i++) {
      if (touched[i] == account) {
        return i;
      }
    }
    touched[count] = account;
    postedDebits[count] = account.postedDebits;
    postedCredits[count] = account.postedCredits;
    pendingDebits[count] = account.pendingDebits;
    pendingCredits[count] = account.pendingCredits;
    return count++;
  }
}
