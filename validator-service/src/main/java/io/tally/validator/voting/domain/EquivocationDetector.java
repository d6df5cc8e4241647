package io.tally.validator.voting.domain;

import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.codec.Hash;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds equivocation: two different headers signed by one validator at one height (DESIGN section
 * 5). Remembers, per validator, the header of each of the last {@code heightsKept} heights it voted
 * for.
 */
public final class EquivocationDetector {

  /** Both votes of one validator at one height, as received. */
  @SuppressWarnings("ArrayRecordComponent") // created from copies; equals compares contents
  public record Evidence(String validatorId, long height, byte[] firstVote, byte[] secondVote) {

    @Override
    public boolean equals(Object other) {
      return other instanceof Evidence that
          && validatorId.equals(that.validatorId)
          && height == that.height
          && Arrays.equals(firstVote, that.firstVote)
          && Arrays.equals(secondVote, that.secondVote);
    }

    @Override
    public int hashCode() {
      return validatorId.hashCode() * 31 + Long.hashCode(height);
    }

    @Override
    public String toString() {
      return "Evidence[" + validatorId + " at height " + height + "]";
    }
  }

  private record Key(String validatorId, long height) {}

  @SuppressWarnings("ArrayRecordComponent") // private, never compared by its array
  private record Seen(Hash header, byte[] vote) {}

  private final long heightsKept;
  private final Map<Key, Seen> seen = new HashMap<>();
  private long highest;

  public EquivocationDetector(long heightsKept) {
    this.heightsKept = heightsKept;
  }

  /** Records a verified vote; returns evidence when it contradicts an earlier one. */
  public Optional<Evidence> observe(String validatorId, BlockHeader header, byte[] vote) {
    long height = header.height();
    if (height + heightsKept < highest) {
      return Optional.empty(); // too old to judge; the ledger has long finalized that height
    }
    if (height > highest) {
      highest = height;
      seen.keySet().removeIf(key -> key.height() + heightsKept < highest);
    }
    Key key = new Key(validatorId, height);
    Hash hash = header.hash();
    Seen earlier = seen.putIfAbsent(key, new Seen(hash, vote.clone()));
    if (earlier == null || earlier.header().equals(hash)) {
      return Optional.empty();
    }
    return Optional.of(new Evidence(validatorId, height, earlier.vote().clone(), vote.clone()));
  }
}
