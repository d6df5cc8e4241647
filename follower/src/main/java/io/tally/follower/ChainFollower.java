package io.tally.follower;

import io.tally.engine.BlockResult;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.PreVerified;
import io.tally.protocol.genesis.Genesis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one job every reader of the chain runs: restore the engine from the policy's snapshot, read
 * the log in order, pre-verify records in parallel, offer them to the engine one by one, hand each
 * block to the {@link FollowerPolicy}, certify it with the policy's {@link Certifier}, take the
 * snapshots the policy asks for, and, after any failure, back off (capped) and start again from the
 * stored progress.
 *
 * <p>The engine's rules are the genesis' ({@link io.tally.engine.Rules#of}).
 *
 * <p>A service runs it on a thread ({@link #run}); the simulator drives it step by step on its own
 * thread ({@link #start}, {@link Attempt#step}). Either way the follower does the same work in the
 * same order: it reads the clock only for the broker-clock alarm, and waits only inside its
 * readers' polls.
 */
public final class ChainFollower implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ChainFollower.class);

  /** A broker clock that stays wrong raises one alarm a minute, not one a record. */
  static final long CLOCK_ALARM_EVERY_MS = 60_000;

  /**
   * Settings of a follower.
   *
   * @param name how logs name it ("validator", "ledger", "replica")
   * @param shard the log partition it follows
   * @param poll the longest wait for new records in one step
   * @param pendingBlocksMax computed blocks held while they wait for their certificate; the
   *     follower reads no further meanwhile (a replica holds one: its reads show the engine)
   * @param clockDriftMax log time further from the clock than this, once caught up, is an alarm;
   *     null for no check
   * @param retryBackoffMax the longest wait between two attempts
   */
  public record Settings(
      String name,
      int shard,
      Duration poll,
      int pendingBlocksMax,
      @Nullable Duration clockDriftMax,
      Duration retryBackoffMax) {

    public Settings {
      if (pendingBlocksMax < 1) {
        throw new IllegalArgumentException("pendingBlocksMax must be positive");
      }
    }
  }

  private final Genesis genesis;
  private final Supplier<LogReader> logReaders;
  private final ParallelPreVerifier verifiers;
  private final Clock clock;
  private final Settings settings;
  private final FollowerPolicy policy;
  private volatile boolean stopping;
  private volatile @Nullable String halted;

  public ChainFollower(
      Genesis genesis,
      Supplier<LogReader> logReaders,
      ParallelPreVerifier verifiers,
      Clock clock,
      Settings settings,
      FollowerPolicy policy) {
    this.genesis = genesis;
    this.logReaders = logReaders;
    this.verifiers = verifiers;
    this.clock = clock;
    this.settings = settings;
    this.policy = policy;
  }

  /** Asks the follower to finish its current step and return. */
  public void stop() {
    stopping = true;
  }

  /** Why the follower stopped for good (a quorum certified another header), or null. */
  public @Nullable String halted() {
    return halted;
  }

  /** Follows until stopped or halted, starting again after each failure. */
  @Override
  public void run() {
    Backoff backoff = new Backoff(settings.retryBackoffMax());
    try {
      while (!stopping && halted == null) {
        try (Attempt attempt = start()) {
          while (!stopping && halted == null) {
            attempt.step();
          }
        } catch (RuntimeException e) {
          policy.failed(e);
          Duration wait = backoff.next();
          log.error(
              "{} failed; starting again from the stored progress in {}", settings.name(), wait, e);
          Backoff.pause(wait, () -> stopping);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    policy.stopped();
  }

  /**
   * Starts an attempt: reads the policy's start, restores the engine and opens the readers.
   *
   * @throws RuntimeException if the stored progress or a reader is not available
   */
  public Attempt start() {
    FollowerPolicy.Start start = policy.start();
    Engine engine;
    byte[] snapshot = start.snapshot();
    if (snapshot == null) {
      engine = new Engine(genesis, settings.shard());
    } else {
      try {
        engine = Engine.restore(genesis, snapshot);
      } catch (RuntimeException e) {
        log.warn(
            "{}: the snapshot does not restore; replaying from the genesis", settings.name(), e);
        start = policy.unreadableSnapshot(start);
        engine = new Engine(genesis, settings.shard());
      }
    }
    log.info(
        "{} starts at height {} from log offset {} (certified up to {})",
        settings.name(),
        engine.height(),
        start.nextOffset(),
        start.certifiedHeight());
    LogReader reader = logReaders.get();
    Certifier certifier = null;
    try {
      reader.seek(start.nextOffset());
      certifier = policy.certifier(start);
      policy.started(engine, start);
      return new Attempt(engine, reader, certifier, start.certifiedHeight());
    } catch (RuntimeException e) {
      if (certifier != null) {
        certifier.close();
      }
      reader.close();
      throw e;
    }
  }

  /** One attempt: an engine, its readers, and the blocks waiting for their certificate. */
  public final class Attempt implements AutoCloseable {

    private final Engine engine;
    private final LogReader reader;
    private final @Nullable Certifier certifier;
    private final ArrayDeque<ComputedBlock> pending = new ArrayDeque<>();
    private final ArrayDeque<LogRecord> unoffered = new ArrayDeque<>();
    private final ArrayDeque<PreVerified> unofferedVerified = new ArrayDeque<>();
    // The next batch, read and being pre-verified while this step applies the current one.
    private ParallelPreVerifier.@Nullable Verifying ahead;
    private long aheadLag;
    private final List<LogRecord> open = new ArrayList<>();
    private final @Nullable LogClockMonitor clockMonitor;
    private long clockAlarmAt = -CLOCK_ALARM_EVERY_MS;
    private long certifiedHeight;
    // A record's log time is comparable with the clock only if it arrived while this follower was
    // already at the end of the log: after a restart, even a short log's records are old.
    private boolean atEnd;
    private boolean fresh;

    private Attempt(
        Engine engine, LogReader reader, @Nullable Certifier certifier, long certifiedHeight) {
      this.engine = engine;
      this.reader = reader;
      this.certifier = certifier;
      this.certifiedHeight = certifiedHeight;
      Duration driftMax = settings.clockDriftMax();
      this.clockMonitor = driftMax == null ? null : new LogClockMonitor(driftMax);
    }

    /** The engine of this attempt; read it only on the follower's thread. */
    public Engine engine() {
      return engine;
    }

    /** The height of the last block certified (or handed on, for a validator). */
    public long certifiedHeight() {
      return certifiedHeight;
    }

    /**
     * One step: reads the next records (unless as many blocks as allowed wait for a certificate),
     * offers them, then reads the certifier and hands on every block it certifies, in order. Behind
     * the log (the batch it read was not empty and the log goes on), it reads the next batch before
     * it offers this one and lets the verifier threads pre-verify it meanwhile: reading, verifying
     * and applying overlap instead of taking turns. At the end of the log it reads only when a step
     * begins, as it always did, so an idle follower waits for nothing more.
     *
     * @throws InterruptedException if interrupted while the records are pre-verified
     */
    public void step() throws InterruptedException {
      if (unoffered.isEmpty() && pending.size() < settings.pendingBlocksMax()) {
        ParallelPreVerifier.Verifying batch = ahead != null ? ahead : readAhead();
        long lag = ahead != null ? aheadLag : reader.lag();
        ahead = null;
        policy.lag(lag);
        fresh = atEnd;
        atEnd = lag == 0;
        unoffered.addAll(batch.batch());
        unofferedVerified.addAll(batch.await());
        if (!batch.batch().isEmpty() && verifiers.parallel() && !atEnd) {
          ahead = readAhead(); // verified while this step offers the batch just taken
          aheadLag = reader.lag();
        }
      }
      while (!unoffered.isEmpty() && pending.size() < settings.pendingBlocksMax()) {
        offer(unoffered.poll(), unofferedVerified.poll());
      }
      if (certifier != null) {
        certifier.read(engine.height(), atEnd && unoffered.isEmpty());
        certify(certifier);
      }
      policy.stepped(engine);
    }

    private ParallelPreVerifier.Verifying readAhead() {
      return verifiers.start(engine, reader.poll(settings.poll()));
    }

    private void offer(LogRecord record, PreVerified verified) {
      checkClock(record);
      open.add(record);
      policy.offering(engine, verified);
      Optional<BlockResult> closed = policy.offer(engine, verified);
      if (closed.isEmpty()) {
        return;
      }
      BlockResult block = closed.get();
      long height = block.header().height();
      Supplier<byte[]> snapshot =
          height > certifiedHeight && policy.snapshotAt(height) ? engine.snapshotLater() : null;
      ComputedBlock computed =
          new ComputedBlock(block, List.copyOf(open), record.offset() + 1, snapshot);
      open.clear();
      if (height <= certifiedHeight) {
        policy.replayed(computed);
        return;
      }
      policy.computed(engine, computed);
      if (certifier == null) {
        certifiedHeight = height;
      } else {
        pending.add(computed);
      }
    }

    private void certify(Certifier certifier) {
      while (!pending.isEmpty()) {
        ComputedBlock head = pending.peek();
        Certifier.Verdict verdict = certifier.verdict(head.header());
        if (verdict instanceof Certifier.Certified certified) {
          pending.poll();
          certifiedHeight = head.height();
          certifier.certified(head.header());
          policy.certified(head, certified.certificate());
        } else if (verdict instanceof Certifier.Conflict conflict) {
          String reason = policy.halted(head, conflict);
          log.error("HALT: {}", reason);
          halted = reason;
          return;
        } else if (verdict instanceof Certifier.Waiting waiting) {
          policy.waiting(head, waiting.description());
          return;
        }
      }
    }

    private void checkClock(LogRecord record) {
      LogClockMonitor monitor = clockMonitor;
      if (monitor == null) {
        return;
      }
      long now = clock.millis();
      Optional<String> alarm = monitor.check(record.logTime(), now, fresh);
      if (alarm.isPresent() && now - clockAlarmAt >= CLOCK_ALARM_EVERY_MS) {
        clockAlarmAt = now;
        policy.alarm("clock: " + alarm.get());
      }
    }

    /** Ends the attempt: the policy first (a ledger drains its committer), then the readers. */
    @Override
    public void close() {
      ParallelPreVerifier.Verifying unread = ahead;
      if (unread != null) {
        unread.cancel();
      }
      try {
        policy.ended();
      } finally {
        try {
          if (certifier != null) {
            certifier.close();
          }
        } finally {
          reader.close();
        }
      }
    }
  }
}
