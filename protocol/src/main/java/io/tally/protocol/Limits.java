package io.tally.protocol;

/**
 * Upper bounds on everything the protocol reads from outside, checked before allocating.
 *
 * <p>The values are deliberately generous for the objects the network exchanges today and small
 * enough that a hostile record cannot make a reader allocate more than a few megabytes. Changing
 * one is a protocol change: every reader must accept what every writer produces.
 */
public final class Limits {

  /** Largest serialized JWS (compact or general JSON) accepted, in bytes. */
  public static final int JWS_BYTES_MAX = 256 * 1024;

  /** Largest decoded protected header, in bytes. */
  public static final int PROTECTED_HEADER_BYTES_MAX = 1024;

  /**
   * Most signatures one general-serialization JWS may carry: enough for the debtors of a settlement
   * with the most legs plus its submitter, and for a certificate of the largest validator set.
   */
  public static final int JWS_SIGNATURES_MAX = 64;

  /** Largest canonical block header, in bytes (a header is about 450 bytes). */
  public static final int BLOCK_HEADER_BYTES_MAX = 1024;

  /**
   * Most hashes in one Merkle proof. A tree of 2^63 leaves needs at most 63 hashes in an inclusion
   * proof and 64 in a consistency proof.
   */
  public static final int MERKLE_PROOF_HASHES_MAX = 64;

  /** Deepest nesting of JSON objects and arrays accepted. */
  public static final int JSON_DEPTH_MAX = 16;

  /** Largest genesis file, in bytes. */
  public static final int GENESIS_BYTES_MAX = 1024 * 1024;

  /** Most validators, governance keys or instance keys a genesis may name, each. */
  public static final int GENESIS_MEMBERS_MAX = 64;

  /** Longest identifier (participant, validator, producer instance), in characters. */
  public static final int ID_CHARS_MAX = 64;

  private Limits() {}
}
