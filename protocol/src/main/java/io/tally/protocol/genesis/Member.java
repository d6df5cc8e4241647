package io.tally.protocol.genesis;

import io.tally.protocol.Limits;
import io.tally.protocol.keys.VerificationKey;
import java.util.regex.Pattern;

/** A named key holder of the genesis: a validator, a governance administrator or an instance. */
public record Member(String id, VerificationKey key) {

  /**
   * Lowercase letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or digit.
   */
  public static final Pattern ID_PATTERN =
      Pattern.compile("[a-z0-9][a-z0-9._-]{0," + (Limits.ID_CHARS_MAX - 1) + "}");

  public Member {
    if (!ID_PATTERN.matcher(id).matches()) {
      throw new IllegalArgumentException("invalid member id \"" + id + "\"");
    }
  }
}
