package io.tally.follower;

import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.block.Vote;
import io.tally.protocol.genesis.Genesis;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Certifies blocks from the votes topic itself: every record is opened as a vote of a validator of
 * the genesis for this shard ({@link Vote#open}), counted in a {@link VoteTally}, and a block is
 * certified once {@code q} validators signed exactly the header the follower computed. What the
 * broker adds, drops, repeats or copies from other topics counts for nothing.
 *
 * <p>Memory is bounded: votes more than {@link #HEIGHTS_AHEAD_MAX} heights above the last certified
 * block wait unread in the topic until the follower catches up (once it has read the whole log,
 * such a vote can only be for a block that does not exist, and is dropped).
 */
public final class VoteCertifier implements Certifier {

  private static final Logger log = LoggerFactory.getLogger(VoteCertifier.class);

  /** How far above the last certified height votes are counted. */
  public static final long HEIGHTS_AHEAD_MAX = 100_000;

  /** What the service wants to know about the votes read. */
  public interface Listener {

    /**
     * A verified vote by {@code validatorId} for {@code height}, at topic time {@code timestamp}.
     */
    default void seen(String validatorId, long height, long timestamp) {}

    /** A validator signed two headers at one height. */
    default void equivocation(VoteTally.Equivocation found) {}
  }

  /**
   * What was read for the block just certified.
   *
   * @param height the certified height
   * @param votes the votes for exactly its header, in the order they arrived
   * @param votesNextOffset where reading the votes topic resumes after a restart, so that no vote
   *     still needed is skipped
   */
  public record CertifiedVotes(
      long height, List<VoteArrivals.Arrival> votes, long votesNextOffset) {}

  /** Opens the certifier of one attempt. */
  @FunctionalInterface
  public interface Factory {

    /**
     * Opens a certifier that starts after {@code certifiedHeight}.
     *
     * @param certifiedHeight the last height certified before (its votes and those below are done)
     * @param votesNextOffset where to start reading the votes topic
     */
    VoteCertifier open(long certifiedHeight, long votesNextOffset, Listener listener);
  }

  /**
   * Certifiers over the genesis' quorum {@code q}, reading the votes topic with {@code readers}.
   */
  public static Factory factory(
      Genesis genesis, int shard, Supplier<VoteReader> readers, Duration poll) {
    return withQuorum(genesis, shard, readers, poll, genesis.validators().threshold());
  }

  /**
   * Certifiers that certify with {@code quorum} votes: anything but the genesis' {@code q} is a
   * planted fault, for the simulator's tests that show it is found.
   */
  public static Factory withQuorum(
      Genesis genesis, int shard, Supplier<VoteReader> readers, Duration poll, int quorum) {
    return (certifiedHeight, votesNextOffset, listener) ->
        new VoteCertifier(
            genesis,
            shard,
            readers.get(),
            certifiedHeight,
            votesNextOffset,
            poll,
            listener,
            quorum);
  }

  private final Genesis genesis;
  private final int shard;
  private final VoteReader reader;
  private final Duration poll;
  private final Listener listener;
  private final VoteTally tally;
  private final VoteArrivals arrivals = new VoteArrivals();
  private final ArrayDeque<VoteReader.VoteRecord> parked = new ArrayDeque<>();
  private CertifiedVotes last;

  private VoteCertifier(
      Genesis genesis,
      int shard,
      VoteReader reader,
      long certifiedHeight,
      long votesNextOffset,
      Duration poll,
      Listener listener,
      int quorum) {
    this.genesis = genesis;
    this.shard = shard;
    this.reader = reader;
    this.poll = poll;
    this.listener = listener;
    this.tally = new VoteTally(quorum, certifiedHeight, HEIGHTS_AHEAD_MAX);
    this.last = new CertifiedVotes(certifiedHeight, List.of(), votesNextOffset);
    reader.seek(votesNextOffset);
  }

  @Override
  public void read(long computedHeight, boolean logCaughtUp) {
    if (parked.isEmpty()) {
      parked.addAll(reader.poll(poll));
    }
    while (!parked.isEmpty()) {
      VoteReader.VoteRecord record = parked.peek();
      Optional<Vote.Opened> opened = open(record);
      if (opened.isPresent()) {
        Vote.Verified vote = opened.get().verified();
        long height = vote.header().height();
        if (!tally.isStale(height) && !tally.accepts(height)) {
          if (!logCaughtUp || height <= computedHeight + HEIGHTS_AHEAD_MAX) {
            return; // too far ahead for now: read it again once the follower caught up
          }
          log.warn(
              "dropping a vote by {} for height {}, far beyond any block in the log",
              vote.validatorId(),
              height);
        } else if (tally.accepts(height)) {
          tally
              .add(record.offset(), vote.validatorId(), vote.header(), opened.get().vote())
              .ifPresent(listener::equivocation);
          arrivals.arrived(
              vote.header(),
              new VoteArrivals.Arrival(vote.validatorId(), record.offset(), record.timestamp()));
        } else {
          tally
              .late(vote.validatorId(), vote.header(), opened.get().vote())
              .ifPresent(listener::equivocation);
        }
        listener.seen(vote.validatorId(), height, record.timestamp());
      }
      parked.poll();
    }
  }

  private Optional<Vote.Opened> open(VoteReader.VoteRecord record) {
    try {
      return Optional.of(Vote.open(record.value(), genesis, shard));
    } catch (VerificationException e) {
      log.warn(
          "invalid record on the votes topic at offset {}: {}", record.offset(), e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public Verdict verdict(BlockHeader computed) {
    Optional<QuorumCertificate> certificate = tally.certificate(computed);
    if (certificate.isPresent()) {
      return new Certified(certificate.get());
    }
    Optional<VoteTally.Certified> conflict = tally.conflicting(computed);
    if (conflict.isPresent()) {
      return new Conflict(conflict.get().header(), conflict.get().certificate());
    }
    return new Waiting(tally.describe(computed));
  }

  /** The validators that voted for exactly {@code header} so far, by id. */
  public Set<String> voters(BlockHeader header) {
    return arrivals.voters(header);
  }

  @Override
  public void certified(BlockHeader header) {
    tally.committed(header.height());
    List<VoteArrivals.Arrival> votes = arrivals.committed(header);
    last = new CertifiedVotes(header.height(), votes, tally.resumeOffset(reader.position()));
  }

  /** What was read for the last block certified (or the start, before the first). */
  public CertifiedVotes lastCertified() {
    return last;
  }

  @Override
  public void close() {
    reader.close();
  }
}
