package io.tally.protocol.jws;

import java.util.Optional;

/**
 * The {@code typ} header of every signed object, one per kind of object. A verifier states the kind
 * it expects, so a signature made for one kind never verifies as another (an instruction signature
 * cannot be replayed as a vote, nor a vote as an envelope).
 */
public enum JwsType {
  /** A participant's instruction (general serialization, one signature per signer). */
  INSTRUCTION("tally-instruction+jws"),
  /** A producer instance's envelope around one Kafka record value (compact). */
  ENVELOPE("tally-envelope+jws"),
  /** A validator's signature over canonical block header bytes: votes and certificates. */
  BLOCK_HEADER("tally-header+jws"),
  /**
   * A governance change (general serialization): each signature is one administrator's approval of
   * the same proposal bytes; {@code g} distinct ones make it valid.
   */
  GOVERNANCE("tally-governance+jws"),
  /**
   * A short-lived access token a participant signs to read its own accounts (compact; explicit
   * typing per RFC 8725 section 3.11, so no other signed object passes as one).
   */
  ACCESS_TOKEN("tally-access+jwt"),
  /**
   * A gateway instance's webhook delivery (compact): finality events it posts to a participant's
   * endpoint, verifiable with the gateways' JWKS.
   */
  WEBHOOK("tally-webhook+jws"),
  /**
   * A gateway instance's record of webhook state in the broker (compact): a registration, its
   * delivery progress, a failed delivery; only gateways of the genesis write them.
   */
  WEBHOOK_STATE("tally-webhook-state+jws");

  private final String headerValue;

  JwsType(String headerValue) {
    this.headerValue = headerValue;
  }

  /** The value written in the {@code typ} header. */
  public String headerValue() {
    return headerValue;
  }

  /** The kind whose {@code typ} header value is {@code value}, if any. */
  public static Optional<JwsType> fromHeaderValue(String value) {
    for (JwsType type : values()) {
      if (type.headerValue.equals(value)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
