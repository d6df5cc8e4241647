package io.tally.protocol.genesis;

import io.tally.protocol.envelope.EnvelopeType;
import java.util.Optional;

/**
 * What a genesis instance may produce. Every reader refuses an envelope whose type its producer's
 * role does not permit, so a leaked gateway key cannot write cut markers, votes or finality events,
 * and a ledger key cannot write instructions. The stream each type travels on is fixed by {@link
 * io.tally.protocol.envelope.Stream.Kind}.
 */
public enum Role {
  /** Seals participants' instructions into the log. */
  GATEWAY("gateway"),
  /** Publishes governance entries carrying {@code g} approvals into the log. */
  IDENTITY("identity"),
  /** A validator's instance: cut markers into the log, votes into the votes topic. */
  VALIDATOR("validator"),
  /** A ledger replica: finality events. */
  LEDGER("ledger");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether an instance of this role may produce envelopes of {@code type}. */
  public boolean permits(EnvelopeType type) {
    return switch (type) {
      case INSTRUCTION -> this == GATEWAY;
      case GOVERNANCE -> this == IDENTITY;
      case CUT, VOTE -> this == VALIDATOR;
      case FINALIZED -> this == LEDGER;
    };
  }

  public static Optional<Role> fromWireName(String name) {
    for (Role role : values()) {
      if (role.wireName.equals(name)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
