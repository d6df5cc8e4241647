package io.tally.engine;

import io.tally.protocol.codec.Hash;

/**
 * An authenticated instruction id with what it was applied as, kept until log time passes its
 * {@code notAfter}; after that a resubmission is refused as {@link Code#EXPIRED} anyway.
 */
record Remembered(String id, Hash contentHash, Code code, long offset, long notAfter) {

  /**
   * Ids are forgotten in buckets of 1,024 ms of {@code notAfter}: a bucket goes once log time has
   * passed its end. Forgetting late changes no outcome (a remembered id past its {@code notAfter}
   * is refused as expired before it is looked up) and keeps the index small.
   */
  long bucket() {
    return notAfter >> 10;
  }
}
