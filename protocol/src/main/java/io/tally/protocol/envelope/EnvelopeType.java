package io.tally.protocol.envelope;

import java.util.Optional;

/** What an envelope's body is; written as the lowercase wire name. */
public enum EnvelopeType {
  /** A participant instruction JWS, submitted through a gateway. */
  INSTRUCTION("instruction"),
  /** A governance entry carrying {@code g} approvals, published by identity-service. */
  GOVERNANCE("governance"),
  /** A block boundary marker for one height, produced by a validator. */
  CUT("cut"),
  /** A validator's vote on a block header. */
  VOTE("vote"),
  /** A ledger's notice that a block was committed with its certificate. */
  FINALIZED("finalized");

  private final String wireName;

  EnvelopeType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<EnvelopeType> fromWireName(String name) {
    for (EnvelopeType type : values()) {
      if (type.wireName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
