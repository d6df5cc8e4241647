package io.tally.follower;

import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.block.Vote;
import io.tally.protocol.codec.Hash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Verified votes of the heights above the last committed block, grouped by the exact header they
 * sign. A block is certified when {@code quorum} distinct validators signed its header bytes; a
 * validator's first vote at a height is the one that counts, a second over other bytes is
 * equivocation and is returned as evidence (its vote does not count twice).
 *
 * <p>Memory is bounded: at most one vote per validator per height, for at most {@code
 * heightsAheadMax} heights above the last committed one; votes beyond are refused by {@link
 * #accepts} and the caller reads them again later.
 */
public final class VoteTally {

  /** Committed heights whose votes are kept for late equivocation. */
  public static final int RECENT_HEIGHTS_MAX = 1_000;

  private final int quorum;
  private final long heightsAheadMax;
  private final TreeMap<Long, Height> heights = new TreeMap<>();
  // Committed heights, kept a while so that a validator's late second header is still caught.
  private final TreeMap<Long, Height> recent = new TreeMap<>();
  private long committed;

  /** One validator signing two different headers at one height, both votes as received. */
  @SuppressWarnings("ArrayRecordComponent") // bytes handed over once, never compared or shared
  public record Equivocation(String validatorId, long height, byte[] first, byte[] second) {}

  /** A header some quorum certified. */
  public record Certified(BlockHeader header, QuorumCertificate certificate) {}

  private static final class Height {
    final Map<Hash, BlockHeader> headers = new LinkedHashMap<>();
    final Map<Hash, TreeMap<String, Vote>> votes = new HashMap<>();
    final Map<String, Hash> signedBy = new HashMap<>();
    long firstOffset = Long.MAX_VALUE;
  }

  /**
   * @param quorum distinct validators a header needs ({@code q} of the genesis)
   * @param committed the last committed height
   * @param heightsAheadMax how far above {@code committed} votes are kept
   */
  public VoteTally(int quorum, long committed, long heightsAheadMax) {
    if (quorum < 1 || heightsAheadMax < 1) {
      throw new IllegalArgumentException("quorum and heightsAheadMax must be positive");
    }
    this.quorum = quorum;
    this.committed = committed;
    this.heightsAheadMax = heightsAheadMax;
  }

  /** Whether a vote at {@code height} is kept now (false: already committed, or too far ahead). */
  public boolean accepts(long height) {
    return height > committed && height - committed <= heightsAheadMax;
  }

  /** Whether a vote at {@code height} can be dropped for good: that height is committed. */
  public boolean isStale(long height) {
    return height <= committed;
  }

  /**
   * Counts a verified vote read at {@code offset} of the votes topic.
   *
   * @return the evidence when this validator signed other header bytes at this height before
   * @throws IllegalArgumentException if {@link #accepts} is false for the vote's height
   */
  public Optional<Equivocation> add(
      long offset, String validatorId, BlockHeader header, Vote vote) {
    if (!accepts(header.height())) {
      throw new IllegalArgumentException("height " + header.height() + " is not tallied now");
    }
    Height height = heights.computeIfAbsent(header.height(), h -> new Height());
    height.firstOffset = Math.min(height.firstOffset, offset);
    Hash hash = header.hash();
    Hash earlier = height.signedBy.get(validatorId);
    if (earlier != null) {
      if (earlier.equals(hash)) {
        return Optional.empty(); // the same vote read again
      }
      TreeMap<String, Vote> earlierVotes = height.votes.get(earlier);
      Vote first = earlierVotes == null ? null : earlierVotes.get(validatorId);
      return Optional.of(
          new Equivocation(
              validatorId,
              header.height(),
              first == null ? new byte[0] : first.toBytes(),
              vote.toBytes()));
    }
    height.signedBy.put(validatorId, hash);
    height.headers.putIfAbsent(hash, header);
    height.votes.computeIfAbsent(hash, h -> new TreeMap<>()).put(validatorId, vote);
    return Optional.empty();
  }

  /** The certificate over exactly {@code header}, once a quorum of validators signed it. */
  public Optional<QuorumCertificate> certificate(BlockHeader header) {
    Height height = heights.get(header.height());
    TreeMap<String, Vote> votes = height == null ? null : height.votes.get(header.hash());
    if (votes == null || votes.size() < quorum) {
      return Optional.empty();
    }
    List<Vote> first = new ArrayList<>(votes.values()).subList(0, quorum);
    return Optional.of(QuorumCertificate.assemble(first));
  }

  /** A header other than {@code computed} at its height that a quorum certified, if any. */
  public Optional<Certified> conflicting(BlockHeader computed) {
    Height height = heights.get(computed.height());
    if (height == null) {
      return Optional.empty();
    }
    Hash own = computed.hash();
    for (Map.Entry<Hash, BlockHeader> header : height.headers.entrySet()) {
      if (!header.getKey().equals(own)) {
        Optional<QuorumCertificate> certificate = certificate(header.getValue());
        if (certificate.isPresent()) {
          return Optional.of(new Certified(header.getValue(), certificate.get()));
        }
      }
    }
    return Optional.empty();
  }

  /** Says who signed what at {@code header}'s height, for health and logs. */
  public String describe(BlockHeader header) {
    Height height = heights.get(header.height());
    TreeMap<String, Vote> votes = height == null ? null : height.votes.get(header.hash());
    List<String> signers = votes == null ? List.of() : new ArrayList<>(votes.keySet());
    return "height "
        + header.height()
        + " has "
        + signers.size()
        + " of the "
        + quorum
        + " votes it needs for the header this ledger computed "
        + signers;
  }

  /**
   * Stops counting every height up to {@code height}, which is now committed; their votes are kept
   * for {@link #RECENT_HEIGHTS_MAX} heights to catch equivocation that arrives late.
   */
  public void committed(long height) {
    committed = Math.max(committed, height);
    Map<Long, Height> done = heights.headMap(committed, true);
    recent.putAll(done);
    done.clear();
    while (recent.size() > RECENT_HEIGHTS_MAX) {
      recent.pollFirstEntry();
    }
  }

  /**
   * Checks a vote for an already committed height against the votes seen there: a validator that
   * signed another header at that height equivocated (the vote counts for nothing either way).
   */
  public Optional<Equivocation> late(String validatorId, BlockHeader header, Vote vote) {
    Height height = recent.get(header.height());
    Hash earlier = height == null ? null : height.signedBy.get(validatorId);
    if (height == null) {
      return Optional.empty();
    }
    if (earlier == null) {
      height.signedBy.put(validatorId, header.hash());
      height.votes.computeIfAbsent(header.hash(), h -> new TreeMap<>()).put(validatorId, vote);
      return Optional.empty();
    }
    if (earlier.equals(header.hash())) {
      return Optional.empty();
    }
    TreeMap<String, Vote> earlierVotes = height.votes.get(earlier);
    Vote first = earlierVotes == null ? null : earlierVotes.get(validatorId);
    return Optional.of(
        new Equivocation(
            validatorId,
            header.height(),
            first == null ? new byte[0] : first.toBytes(),
            vote.toBytes()));
  }

  /**
   * Where reading the votes topic must resume so that no vote still needed is skipped: the first
   * offset of a vote at a height above the committed one, or {@code position} when none is held.
   */
  public long resumeOffset(long position) {
    long offset = position;
    for (Height height : heights.values()) {
      offset = Math.min(offset, height.firstOffset);
    }
    return offset;
  }
}
