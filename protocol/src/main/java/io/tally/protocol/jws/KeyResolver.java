package io.tally.protocol.jws;

import io.tally.protocol.keys.VerificationKey;
import java.util.Optional;

/** Finds the public key a {@code kid} names, among the keys trusted for one purpose. */
@FunctionalInterface
public interface KeyResolver {

  /** The trusted key with id {@code keyId}, or empty when the id names no trusted key. */
  Optional<VerificationKey> find(String keyId);
}
