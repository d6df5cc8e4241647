package io.tally.engine;

/**
 * The outcome of one entry: {@link #ACCEPTED}, or the rule that rejected it. Codes are stable: they
 * are written into outcome records that quorum certificates sign, and clients and auditors match on
 * them. Add new codes at the end of a group; never rename one.
 */
public enum Code {
  /** The entry was applied. */
  ACCEPTED,

  // --- the record and its envelope ---
  /** The record, its envelope or its body does not parse as the object it claims to be. */
  MALFORMED,
  /**
   * The envelope is signed by a key that is no instance of the genesis, or by another producer's.
   */
  PRODUCER_UNKNOWN,
  /** The producer already wrote this sequence number (or an older epoch): a replayed record. */
  RECORD_REPLAYED,
  /**
   * A record type that does not belong in the log (votes and finality notices have topics). Its
   * producer's chain does not move.
   */
  TYPE_UNEXPECTED,
  /**
   * The envelope names another stream (topic kind and shard) than this shard's log: a copy the
   * broker made from another topic or partition. Its producer's chain does not move.
   */
  STREAM_MISMATCH,
  /**
   * The genesis role of the envelope's producer does not permit its type (a gateway's key writing a
   * cut marker). Its producer's chain does not move.
   */
  ROLE_FORBIDS_TYPE,

  // --- signatures ---
  /** A signature does not verify for the key its {@code kid} names. */
  SIGNATURE_INVALID,
  /** A signature names a key no participant (or no administrator, for governance) holds. */
  SIGNER_UNKNOWN,
  /** Two signatures by the same key. */
  SIGNER_DUPLICATE,
  /** A signing key was revoked before this entry. */
  KEY_REVOKED,
  /**
   * A key being registered, added or rotated in did not sign the entry: possession of its private
   * key is not proven.
   */
  KEY_POSSESSION_UNPROVEN,
  /** A settlement or reservation lacks the signature of the owner of a debited account. */
  DEBTOR_SIGNATURE_MISSING,
  /** An account opening, or a participant's own key change, lacks the participant's signature. */
  OWNER_SIGNATURE_MISSING,
  /** Commit or cancel signed by no participant the reservation names as controller. */
  NOT_AUTHORIZED,
  /** A governance change carries fewer than {@code g} distinct governance signatures. */
  GOVERNANCE_QUORUM_NOT_MET,

  // --- time and identity of the instruction ---
  /** Log time has passed the entry's {@code notAfter}. */
  EXPIRED,
  /** {@code notAfter} lies further ahead of log time than the window allows. */
  NOT_AFTER_TOO_FAR,
  /** The id was used before with different content. */
  DUPLICATE_CONFLICT,

  // --- participants, keys, assets ---
  /** The named participant is not registered. */
  PARTICIPANT_UNKNOWN,
  /** A participant with this id is already registered. */
  PARTICIPANT_EXISTS,
  /** A participant that must sign, pay or receive is suspended. */
  PARTICIPANT_SUSPENDED,
  /** Suspending a suspended participant or reinstating an active one. */
  STATUS_UNCHANGED,
  /** The key is already registered (to this or another participant). */
  KEY_EXISTS,
  /** The participant holds no key with this id. */
  KEY_UNKNOWN,
  /** The participant already holds {@link Rules#keysMax()} current (unrevoked) keys. */
  KEYS_TOO_MANY,
  /** The asset code is not registered. */
  ASSET_UNKNOWN,
  /** An asset with this code is already registered. */
  ASSET_EXISTS,
  /** An issuance account may only be opened by the asset's issuer. */
  NOT_ISSUER,

  // --- accounts and amounts ---
  /** The account does not exist. */
  ACCOUNT_UNKNOWN,
  /** An account with this id already exists. */
  ACCOUNT_EXISTS,
  /** A leg's asset differs from the asset of its debit or credit account. */
  ASSET_MISMATCH,
  /** A leg debits and credits the same account. */
  ACCOUNTS_MUST_BE_DIFFERENT,
  /** An amount is not an integer in {@code 1 .. 2^63-1} minor units. */
  AMOUNT_INVALID,
  /** A balance would exceed {@code 2^63-1}: refused, never wrapped. */
  AMOUNT_OVERFLOW,
  /** A no-overdraft account would go below zero (posted debits plus pending over credits). */
  INSUFFICIENT_FUNDS,
  /** More legs than {@link Rules#legsMax()}. */
  LEGS_TOO_MANY,

  // --- reservations ---
  /** No open or recently closed reservation has this id. */
  RESERVATION_UNKNOWN,
  /** The reservation was already committed, cancelled or expired. */
  RESERVATION_CLOSED,
  /** A reservation's expiry is not after log time or too far ahead. */
  EXPIRY_INVALID,

  // --- block boundaries ---
  /** A cut marker for a height that is already cut, or not the current one: it changes nothing. */
  CUT_IGNORED;

  public boolean accepted() {
    return this == ACCEPTED;
  }
}
