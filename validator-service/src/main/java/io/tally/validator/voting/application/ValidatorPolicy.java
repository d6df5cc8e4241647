package io.tally.validator.voting.application;

import io.tally.engine.BlockResult;
import io.tally.engine.Engine;
import io.tally.engine.PreVerified;
import io.tally.follower.Certifier;
import io.tally.follower.ChainFollower;
import io.tally.follower.ComputedBlock;
import io.tally.follower.FollowerPolicy;
import io.tally.protocol.block.Vote;
import io.tally.protocol.keys.SigningKey;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a validator does with the chain its {@link ChainFollower} computes: vote for every block the
 * network's rule closes, write a cut when entries have waited longer than the block timeout, and
 * snapshot every few blocks. The follower restarts from the last snapshot after any failure, which
 * reproduces the same votes.
 */
public final class ValidatorPolicy implements FollowerPolicy {

  private static final Logger log = LoggerFactory.getLogger(ValidatorPolicy.class);

  /**
   * Settings of the policy.
   *
   * @param blockTimeout how long entries wait in an open block before this validator writes a cut
   * @param snapshotPhase snapshots are taken at heights {@code h} where {@code (h + snapshotPhase)
   *     % snapshotEveryBlocks == 0}: each validator gets its own phase, so that they do not all
   *     pause to serialize their state at the same height (the others still make a quorum)
   */
  public record Settings(Duration blockTimeout, int snapshotEveryBlocks, int snapshotPhase) {}

  private final SigningKey validatorKey;
  private final VotePublisher publisher;
  private final SnapshotStore snapshots;
  private final Clock clock;
  private final Settings settings;
  private final ValidatorStatus status;
  private final BlockObserver observer;
  private long openedAt = -1;
  private boolean work;
  private long cutSentFor = -1;

  public ValidatorPolicy(
      SigningKey validatorKey,
      VotePublisher publisher,
      SnapshotStore snapshots,
      Clock clock,
      Settings settings,
      ValidatorStatus status,
      BlockObserver observer) {
    this.validatorKey = validatorKey;
    this.publisher = publisher;
    this.snapshots = snapshots;
    this.clock = clock;
    this.settings = settings;
    this.status = status;
    this.observer = observer;
  }

  /** How often a validator's follower polls the log: often enough to keep its cut timer. */
  public static Duration poll(Duration blockTimeout) {
    Duration max = Duration.ofMillis(100);
    return blockTimeout.compareTo(max) <= 0 ? blockTimeout : max;
  }

  /** From the last snapshot; every block after it is voted for again (the same votes). */
  @Override
  public Start start() {
    return snapshots
        .latest()
        .map(s -> new Start(s.state(), s.nextOffset(), 0))
        .orElseGet(Start::genesis);
  }

  /** A validator certifies nothing: it votes. */
  @Override
  public @Nullable Certifier certifier(Start start) {
    return null;
  }

  @Override
  public void started(Engine engine, Start start) {
    openedAt = -1;
    work = false;
    cutSentFor = -1;
    status.started();
  }

  @Override
  public boolean snapshotAt(long height) {
    return (height + settings.snapshotPhase()) % settings.snapshotEveryBlocks() == 0;
  }

  @Override
  public void offering(Engine engine, PreVerified record) {
    if (engine.openBlockSize() == 0) {
      openedAt = clock.millis();
      work = false;
    }
    work |= !record.isCut();
  }

  @Override
  public void computed(Engine engine, ComputedBlock computed) {
    BlockResult block = computed.block();
    long height = computed.height();
    publisher.vote(height, Vote.sign(block.header(), validatorKey));
    status.voted(height);
    observer.voted(block, Math.max(0, clock.millis() - block.header().logTime()));
    for (BlockResult.SequenceAnomaly anomaly : block.sequenceAnomalies()) {
      alarm(
          "producer "
              + anomaly.producer()
              + " chain shows a "
              + anomaly.check()
              + " at offset "
              + anomaly.offset());
    }
    Supplier<byte[]> state = computed.snapshot();
    if (state != null) {
      snapshots.save(height, computed.nextOffset(), state);
    }
  }

  /** Writes a cut once entries waited longer than the block timeout, once per height. */
  @Override
  public void stepped(Engine engine) {
    long height = engine.height() + 1;
    if (work
        && engine.openBlockSize() > 0
        && clock.millis() - openedAt >= settings.blockTimeout().toMillis()
        && cutSentFor != height) {
      publisher.cut(height);
      cutSentFor = height;
    }
  }

  @Override
  public void lag(long lag) {
    status.lag(lag);
  }

  @Override
  public void alarm(String alarm) {
    log.warn("alarm: {}", alarm);
    status.alarm(alarm);
  }

  @Override
  public void failed(RuntimeException e) {
    status.failed(e);
  }

  @Override
  public void stopped() {
    status.stopped();
  }
}
