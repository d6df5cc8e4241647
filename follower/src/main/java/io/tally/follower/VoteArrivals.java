package io.tally.follower;

import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.codec.Hash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * When each validator's vote for a height arrived on the votes topic, kept until the height is
 * committed, so the committed block can record who voted for it and when (for auditors: "each
 * validator's vote and when it arrived"). Only a validator's first vote at a height is kept; a
 * second one is the tally's business (equivocation). Heights are bounded by what the tally accepts.
 */
public final class VoteArrivals {

  /**
   * One vote as the ledger read it.
   *
   * @param validator the validator that signed it
   * @param offset its offset on the votes topic
   * @param timestamp the votes topic's timestamp of the record, milliseconds since the epoch
   */
  public record Arrival(String validator, long offset, long timestamp) {}

  private final TreeMap<Long, Map<String, Voted>> heights = new TreeMap<>();

  private record Voted(Hash header, Arrival arrival) {}

  /** Notes a verified vote by {@code arrival.validator()} for {@code header}. */
  public void arrived(BlockHeader header, Arrival arrival) {
    heights
        .computeIfAbsent(header.height(), h -> new LinkedHashMap<>())
        .putIfAbsent(arrival.validator(), new Voted(header.hash(), arrival));
  }

  /** The validators that voted for exactly {@code header}, by id. */
  public Set<String> voters(BlockHeader header) {
    Set<String> voters = new TreeSet<>();
    Map<String, Voted> votes = heights.getOrDefault(header.height(), Map.of());
    Hash hash = header.hash();
    votes.forEach(
        (validator, voted) -> {
          if (voted.header().equals(hash)) {
            voters.add(validator);
          }
        });
    return voters;
  }

  /**
   * The votes for exactly {@code header} in the order they arrived, and forgets every height up to
   * its own, which is now committed.
   */
  public List<Arrival> committed(BlockHeader header) {
    List<Arrival> arrivals = new ArrayList<>();
    Hash hash = header.hash();
    heights
        .getOrDefault(header.height(), new HashMap<>())
        .values()
        .forEach(
            voted -> {
              if (voted.header().equals(hash)) {
                arrivals.add(voted.arrival());
              }
            });
    heights.headMap(header.height(), true).clear();
    arrivals.sort(Comparator.comparingLong(Arrival::offset));
    return arrivals;
  }
}
