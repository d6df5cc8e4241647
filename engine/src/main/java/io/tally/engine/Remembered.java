package io.tally.engine;

import io.tally.protocol.codec.Hash;
import java.util.Comparator;

/**
 * An authenticated instruction id with what it was applied as, kept until log time passes its
 * {@code notAfter}; after that a resubmission is refused as {@link Code#EXPIRED} anyway.
 */
record Remembered(String id, Hash contentHash, Code code, long offset, long notAfter) {

  static final Comparator<Remembered> BY_NOT_AFTER =
      Comparator.comparingLong(Remembered::notAfter).thenComparing(Remembered::id);
}
