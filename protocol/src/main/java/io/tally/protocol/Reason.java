package io.tally.protocol;

/**
 * Why a signed object, proof or genesis was refused. Stable codes: services map them to log records
 * and Problem Details types, so a code is renamed only with a protocol change.
 */
public enum Reason {
  /** The bytes do not parse as the object they claim to be (JSON, base64url, field shapes). */
  MALFORMED,
  /** Larger than its limit in {@link Limits}; refused before decoding. */
  TOO_LARGE,
  /** The {@code alg} header is not {@code EdDSA} (this includes {@code none}). */
  ALGORITHM_UNSUPPORTED,
  /** A {@code crit} header is present; the protocol defines no critical extensions. */
  CRITICAL_HEADER_UNSUPPORTED,
  /** The protected header carries a parameter the protocol does not define. */
  HEADER_PARAMETER_UNSUPPORTED,
  /** Header parameters were sent outside the signed, protected header. */
  UNPROTECTED_HEADER,
  /** The protected header has no {@code kid}. */
  KEY_ID_MISSING,
  /** The {@code typ} header names another kind of object than the one expected. */
  TYPE_MISMATCH,
  /** The {@code kid} names no key the verifier knows for this purpose. */
  SIGNER_UNKNOWN,
  /** The signature does not verify for the key the {@code kid} names. */
  SIGNATURE_INVALID,
  /** Two signatures by one key or one signer in one object. */
  SIGNER_DUPLICATE,
  /** More signatures than {@link Limits#JWS_SIGNATURES_MAX}. */
  SIGNATURES_TOO_MANY,
  /** Fewer distinct validators signed than the quorum needs. */
  QUORUM_NOT_MET,
  /** The signatures are over a different block header than the one expected. */
  HEADER_MISMATCH,
  /** A Merkle proof does not lead to the expected root. */
  PROOF_INVALID,
  /**
   * A receipt's finality sentence differs from the one its verified facts give (height, index,
   * signers, quorum, network, header): a receipt states no fact that was not verified.
   */
  FINALITY_MISMATCH,
  /** A public key is not a valid Ed25519 point or has small order. */
  KEY_INVALID,
  /** An access token's expiry has passed (beyond the tolerated clock skew). */
  TOKEN_EXPIRED,
  /** An access token claims to be issued later than now plus the tolerated clock skew. */
  TOKEN_NOT_YET_VALID,
  /** An access token expires at or before the time it claims to be issued. */
  TOKEN_WINDOW_INVALID,
  /** An access token is for another audience, or lives longer than allowed. */
  TOKEN_NOT_ACCEPTED,
  /** An envelope names another stream (topic kind and shard) than the one it was read from. */
  STREAM_MISMATCH,
  /** An envelope's type does not travel on the stream it names. */
  TYPE_UNEXPECTED,
  /** The role the genesis gives an envelope's producer does not permit the envelope's type. */
  ROLE_FORBIDS_TYPE,
}
