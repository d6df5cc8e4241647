package io.tally.validator.voting.application;

import io.tally.engine.BlockResult;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.PreVerified;
import io.tally.engine.Rules;
import io.tally.protocol.block.Vote;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.SigningKey;
import io.tally.service.Backoff;
import io.tally.service.LogClockMonitor;
import io.tally.service.LogReader;
import io.tally.service.ParallelPreVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validator's work: read the log in order from the last snapshot, pre-verify records on several
 * threads, apply them in order, vote for every block the network's rule closes, write a cut when
 * entries have waited longer than the block timeout, and snapshot every few blocks.
 *
 * <p>Any failure (broker or database unavailable) ends the current attempt: the loop backs off,
 * capped, and starts again from the last snapshot, which reproduces the same votes.
 */
public final class ValidatorLoop implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ValidatorLoop.class);

  /**
   * Settings of the loop.
   *
   * @param snapshotPhase snapshots are taken at heights {@code h} where {@code (h + snapshotPhase)
   *     % snapshotEveryBlocks == 0}: each validator gets its own phase, so that they do not all
   *     pause to serialize their state at the same height (the others still make a quorum)
   */
  public record Settings(
      int shard,
      Duration blockTimeout,
      int snapshotEveryBlocks,
      int snapshotPhase,
      Duration clockDriftMax,
      Duration retryBackoffMax) {}

  private final Genesis genesis;
  private final Rules rules;
  private final SigningKey validatorKey;
  private final Supplier<LogReader> readers;
  private final VotePublisher publisher;
  private final SnapshotStore snapshots;
  private final ParallelPreVerifier verifiers;
  private final Clock clock;
  private final Settings settings;
  private final ValidatorStatus status;
  private final BlockObserver observer;
  private volatile boolean stopping;

  public ValidatorLoop(
      Genesis genesis,
      Rules rules,
      SigningKey validatorKey,
      Supplier<LogReader> readers,
      VotePublisher publisher,
      SnapshotStore snapshots,
      ParallelPreVerifier verifiers,
      Clock clock,
      Settings settings,
      ValidatorStatus status,
      BlockObserver observer) {
    this.genesis = genesis;
    this.rules = rules;
    this.validatorKey = validatorKey;
    this.readers = readers;
    this.publisher = publisher;
    this.snapshots = snapshots;
    this.verifiers = verifiers;
    this.clock = clock;
    this.settings = settings;
    this.status = status;
    this.observer = observer;
  }

  /** Asks the loop to finish its current batch and return. */
  public void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    Backoff backoff = new Backoff(settings.retryBackoffMax());
    try {
      while (!stopping) {
        try {
          runFromLastSnapshot();
        } catch (RuntimeException e) {
          status.failed(e);
          Duration wait = backoff.next();
          log.error("validator loop failed; retrying from the last snapshot in {}", wait, e);
          Backoff.pause(wait, () -> stopping);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    status.stopped();
  }

  private void runFromLastSnapshot() throws InterruptedException {
    Optional<SnapshotStore.Stored> snapshot = snapshots.latest();
    Engine engine =
        snapshot
            .map(s -> Engine.restore(genesis, rules, s.state()))
            .orElseGet(() -> new Engine(genesis, rules, settings.shard()));
    long next = snapshot.map(SnapshotStore.Stored::nextOffset).orElse(0L);
    log.info("validator starts at height {} from log offset {}", engine.height(), next);
    LogClockMonitor clockMonitor = new LogClockMonitor(settings.clockDriftMax());
    try (LogReader reader = readers.get()) {
      reader.seek(next);
      status.started();
      long openedAt = -1;
      boolean work = false;
      long cutSentFor = -1;
      Duration poll = min(settings.blockTimeout(), Duration.ofMillis(100));
      // A record is fresh (its log time comparable with the clock) only if it arrived while this
      // validator was already at the end of the log: after a restart, even a short log's records
      // are old, however small the lag.
      boolean atEnd = false;
      while (!stopping) {
        List<LogRecord> batch = reader.poll(poll);
        long lag = reader.lag();
        status.lag(lag);
        boolean fresh = atEnd;
        atEnd = lag == 0;
        List<PreVerified> verified = verifiers.preVerify(engine, batch);
        for (int i = 0; i < batch.size(); i++) {
          LogRecord record = batch.get(i);
          clockMonitor
              .check(record.logTime(), clock.millis(), fresh)
              .ifPresent(alarm -> raise(alarm));
          if (engine.openBlockSize() == 0) {
            openedAt = clock.millis();
            work = false;
          }
          work |= !verified.get(i).isCut();
          Optional<BlockResult> block = engine.offer(verified.get(i));
          if (block.isPresent()) {
            vote(engine, block.get(), record.offset() + 1);
          }
        }
        long height = engine.height() + 1;
        if (work
            && engine.openBlockSize() > 0
            && clock.millis() - openedAt >= settings.blockTimeout().toMillis()
            && cutSentFor != height) {
          publisher.cut(height);
          cutSentFor = height;
        }
      }
    }
  }

  private void vote(Engine engine, BlockResult block, long nextOffset) {
    Vote vote = Vote.sign(block.header(), validatorKey);
    publisher.vote(block.header().height(), vote);
    status.voted(block.header().height());
    observer.voted(block, Math.max(0, clock.millis() - block.header().logTime()));
    for (BlockResult.SequenceAnomaly anomaly : block.sequenceAnomalies()) {
      raise(
          "producer "
              + anomaly.producer()
              + " chain shows a "
              + anomaly.check()
              + " at offset "
              + anomaly.offset());
    }
    long height = block.header().height();
    if ((height + settings.snapshotPhase()) % settings.snapshotEveryBlocks() == 0) {
      snapshots.save(height, nextOffset, engine.snapshotLater());
    }
  }

  private void raise(String alarm) {
    log.warn("alarm: {}", alarm);
    status.alarm(alarm);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
