package io.tally.engine;

import java.io.DataOutput;
import java.io.IOException;

/**
 * An account: mutable engine state, never handed out (see {@link AccountView}). Balances are
 * running totals in minor units, each within {@code 0 .. 2^63-1}: the posted balance is {@code
 * postedCredits - postedDebits}, and pending amounts are reserved but not posted.
 */
final class Account {

  static final int FLAG_ISSUANCE = 1;
  static final int FLAG_OVERDRAFT = 2;

  final String id;
  final String owner;
  final String asset;
  final int flags;

  /** Position in opening order (accounts are never deleted): orders the state digest. */
  final int seq;

  long postedDebits;
  long postedCredits;
  long pendingDebits;
  long pendingCredits;

  Account(String id, String owner, String asset, int flags, int seq) {
    this.id = id;
    this.owner = owner;
    this.asset = asset;
    this.flags = flags;
    this.seq = seq;
  }

  /** Issuance accounts (the liability side of an asset) and overdraft accounts may go negative. */
  boolean mayGoNegative() {
    return flags != 0;
  }

  AccountView view() {
    return new AccountView(
        id,
        owner,
        asset,
        (flags & FLAG_ISSUANCE) != 0,
        (flags & FLAG_OVERDRAFT) != 0,
        postedDebits,
        postedCredits,
        pendingDebits,
        pendingCredits);
  }

  /** The changing part, for the state digest of a block that did not open this account. */
  void writeBalances(DataOutput out) throws IOException {
    out.writeInt(seq);
    out.writeLong(postedDebits);
    out.writeLong(postedCredits);
    out.writeLong(pendingDebits);
    out.writeLong(pendingCredits);
  }

  /** Everything but {@link #seq}, which the position in a snapshot gives. */
  void write(DataOutput out) throws IOException {
    out.writeUTF(id);
    out.writeUTF(owner);
    out.writeUTF(asset);
    out.writeByte(flags);
    out.writeLong(postedDebits);
    out.writeLong(postedCredits);
    out.writeLong(pendingDebits);
    out.writeLong(pendingCredits);
  }
}
