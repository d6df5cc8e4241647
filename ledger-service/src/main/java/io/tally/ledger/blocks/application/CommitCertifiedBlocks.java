package io.tally.ledger.blocks.application;

import io.tally.engine.BlockResult;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.PreVerified;
import io.tally.engine.Rules;
import io.tally.ledger.blocks.domain.VoteArrivals;
import io.tally.ledger.blocks.domain.VoteTally;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.FinalizedEvent;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.block.Vote;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import io.tally.service.Backoff;
import io.tally.service.LogClockMonitor;
import io.tally.service.LogReader;
import io.tally.service.ParallelPreVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's work: read the log from the stored progress, re-execute it with the engine (blocks
 * cut by the network's rule, signatures re-verified on several threads), read the votes, and commit
 * each block, in order, once a quorum of validators signed exactly the header computed here.
 *
 * <p>Blocks computed ahead of the last certified one wait in memory (at most {@code
 * pendingBlocksMax}). When a quorum certifies a different header at a height, the ledger keeps the
 * evidence and stops for good: it never applies a block it did not compute, and a restart reaches
 * the same verdict. Any other failure (database or broker) ends the attempt; the loop backs off,
 * capped, and starts again from the stored progress, so nothing is lost or applied twice.
 *
 * <p>Certified blocks are written by a committer thread, in order, one transaction each, while the
 * loop reads, verifies and computes the blocks after them: the database's commit (an fsync) no
 * longer stops the ledger's computation. A failed commit ends the attempt like any other failure;
 * the blocks queued after it are dropped and computed again from the stored progress.
 */
public final class CommitCertifiedBlocks implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(CommitCertifiedBlocks.class);
  private static final Duration POLL = Duration.ofMillis(10);
  private static final long HEIGHTS_AHEAD_MAX = 100_000;
  private static final int COMMITS_QUEUED_MAX = 8;
  private static final Duration COMMITTER_DRAIN_MAX = Duration.ofSeconds(30);

  /** A broker clock that stays wrong raises one alarm a minute, not one a record. */
  private static final long CLOCK_ALARM_EVERY_MS = 60_000;

  /**
   * Settings of the loop.
   *
   * @param snapshotPhase snapshots are taken at heights {@code h} where {@code (h + snapshotPhase)
   *     % snapshotEveryBlocks == 0}, apart from the validators' own snapshot heights
   * @param clockDriftMax log time further from this machine's clock, once caught up, is an alarm
   */
  public record Settings(
      int shard,
      int snapshotEveryBlocks,
      int snapshotPhase,
      int pendingBlocksMax,
      Duration retryBackoffMax,
      Duration clockDriftMax) {}

  /** A block computed here, waiting for its certificate. */
  private record Pending(
      BlockResult block,
      List<LogRecord> records,
      long nextOffset,
      @Nullable Supplier<byte[]> snapshot) {}

  private final Genesis genesis;
  private final Rules rules;
  private final Supplier<LogReader> logReaders;
  private final Supplier<VoteReader> voteReaders;
  private final LedgerStore store;
  private final ParallelPreVerifier verifiers;
  private final Settings settings;
  private final LedgerStatus status;
  private final CommitObserver observer;
  private final Clock clock;
  private volatile boolean stopping;

  public CommitCertifiedBlocks(
      Genesis genesis,
      Rules rules,
      Supplier<LogReader> logReaders,
      Supplier<VoteReader> voteReaders,
      LedgerStore store,
      ParallelPreVerifier verifiers,
      Settings settings,
      LedgerStatus status,
      CommitObserver observer,
      Clock clock) {
    this.genesis = genesis;
    this.rules = rules;
    this.logReaders = logReaders;
    this.voteReaders = voteReaders;
    this.store = store;
    this.verifiers = verifiers;
    this.settings = settings;
    this.status = status;
    this.observer = observer;
    this.clock = clock;
  }

  /** Asks the loop to finish its current step and return. */
  public void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    Backoff backoff = new Backoff(settings.retryBackoffMax());
    try {
      while (!stopping && status.halted() == null) {
        try {
          runFromStoredProgress();
        } catch (RuntimeException e) {
          status.failed(e);
          Duration wait = backoff.next();
          log.error("ledger loop failed; retrying from the stored progress in {}", wait, e);
          Backoff.pause(wait, () -> stopping);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (status.halted() == null) {
      status.stopped();
    }
  }

  /** One attempt: from the stored progress until stopped, halted or failed. */
  private void runFromStoredProgress() throws InterruptedException {
    LedgerStore.Progress progress = store.progress(settings.shard());
    Optional<LedgerStore.Snapshot> snapshot = store.snapshotAtOrBelow(progress.height());
    Engine engine =
        snapshot
            .map(s -> Engine.restore(genesis, rules, s.state()))
            .orElseGet(() -> new Engine(genesis, rules, settings.shard()));
    long logNext = snapshot.map(LedgerStore.Snapshot::nextOffset).orElse(0L);
    VoteTally tally =
        new VoteTally(genesis.validators().threshold(), progress.height(), HEIGHTS_AHEAD_MAX);
    ArrayDeque<Pending> pending = new ArrayDeque<>();
    ArrayDeque<VoteReader.VoteRecord> parkedVotes = new ArrayDeque<>();
    VoteArrivals arrivals = new VoteArrivals();
    LogClockMonitor clockMonitor = new LogClockMonitor(settings.clockDriftMax());
    long clockAlarmAt = -CLOCK_ALARM_EVERY_MS;
    // A record's log time is comparable with the clock only if it arrived while this ledger was
    // already at the end of the log (as the validators judge it).
    boolean atEnd = false;
    List<LogRecord> open = new ArrayList<>();
    log.info(
        "ledger resumes at committed height {}, replaying the log from offset {} (engine at {})",
        progress.height(),
        logNext,
        engine.height());
    try (LogReader logReader = logReaders.get();
        VoteReader voteReader = voteReaders.get();
        OrderedWriter committer =
            new OrderedWriter("ledger-committer", COMMITS_QUEUED_MAX, COMMITTER_DRAIN_MAX)) {
      logReader.seek(logNext);
      voteReader.seek(progress.votesNextOffset());
      status.started(progress.height());
      long committed = progress.height();
      while (!stopping) {
        committer.rethrowFailure();
        if (pending.size() < settings.pendingBlocksMax()) {
          List<LogRecord> batch = logReader.poll(POLL);
          status.lag(logReader.lag());
          boolean fresh = atEnd;
          atEnd = logReader.lag() == 0;
          List<PreVerified> verified = verifiers.preVerify(engine, batch);
          for (int i = 0; i < batch.size(); i++) {
            Optional<String> clockAlarm =
                clockMonitor.check(batch.get(i).logTime(), clock.millis(), fresh);
            if (clockAlarm.isPresent() && clock.millis() - clockAlarmAt >= CLOCK_ALARM_EVERY_MS) {
              clockAlarmAt = clock.millis();
              log.warn("alarm: {}", clockAlarm.get());
              status.alarm("clock: " + clockAlarm.get());
            }
            open.add(batch.get(i));
            Optional<BlockResult> closed = engine.offer(verified.get(i));
            if (closed.isPresent()) {
              BlockResult block = closed.get();
              long height = block.header().height();
              status.computed(height);
              List<LogRecord> records = List.copyOf(open);
              open.clear();
              if (height <= committed) {
                checkCommitted(block.header());
              } else {
                Supplier<byte[]> state =
                    (height + settings.snapshotPhase()) % settings.snapshotEveryBlocks() == 0
                        ? engine.snapshotLater()
                        : null;
                pending.add(new Pending(block, records, batch.get(i).offset() + 1, state));
              }
            }
          }
        }
        readVotes(voteReader, tally, arrivals, parkedVotes, logReader.lag() == 0, engine.height());
        while (!pending.isEmpty()) {
          Pending head = pending.peek();
          BlockHeader header = head.block().header();
          Optional<QuorumCertificate> certificate = tally.certificate(header);
          if (certificate.isPresent()) {
            commit(head, certificate.get(), tally, arrivals, voteReader, committer);
            pending.poll();
            committed = header.height();
            continue;
          }
          Optional<VoteTally.Certified> conflict = tally.conflicting(header);
          if (conflict.isPresent()) {
            halt(header, conflict.get());
            return;
          }
          status.waiting(
              tally.describe(header), header.height(), arrivals.voters(header), clock.millis());
          break;
        }
      }
    }
  }

  /** A block below the stored head, recomputed on replay, must be the one committed. */
  private void checkCommitted(BlockHeader header) {
    Optional<Hash> stored = store.headerHash(header.height());
    if (stored.isPresent() && !stored.get().equals(header.hash())) {
      throw new IllegalStateException(
          "replaying the log gives another header at committed height "
              + header.height()
              + " than the one stored; the database or the log was changed");
    }
  }

  private void readVotes(
      VoteReader reader,
      VoteTally tally,
      VoteArrivals arrivals,
      ArrayDeque<VoteReader.VoteRecord> parked,
      boolean logCaughtUp,
      long computedHeight) {
    if (parked.isEmpty()) {
      parked.addAll(reader.poll(POLL));
    }
    while (!parked.isEmpty()) {
      VoteReader.VoteRecord record = parked.peek();
      Optional<Vote.Opened> opened = open(record);
      if (opened.isPresent()) {
        Vote.Verified vote = opened.get().verified();
        long height = vote.header().height();
        if (!tally.isStale(height) && !tally.accepts(height)) {
          if (!logCaughtUp || height <= computedHeight + HEIGHTS_AHEAD_MAX) {
            return; // too far ahead for now: read it again once the ledger caught up
          }
          log.warn(
              "dropping a vote by {} for height {}, far beyond any block in the log",
              vote.validatorId(),
              height);
        } else if (tally.accepts(height)) {
          count(tally, record.offset(), opened.get());
          arrivals.arrived(
              vote.header(),
              new VoteArrivals.Arrival(vote.validatorId(), record.offset(), record.timestamp()));
        } else {
          tally.late(vote.validatorId(), vote.header(), opened.get().vote()).ifPresent(this::keep);
        }
        status.voted(vote.validatorId(), height, record.timestamp());
      }
      parked.poll();
    }
  }

  private Optional<Vote.Opened> open(VoteReader.VoteRecord record) {
    try {
      return Optional.of(Vote.open(record.value(), genesis, settings.shard()));
    } catch (VerificationException e) {
      log.warn(
          "invalid record on the votes topic at offset {}: {}", record.offset(), e.getMessage());
      return Optional.empty();
    }
  }

  private void count(VoteTally tally, long offset, Vote.Opened opened) {
    Vote.Verified verified = opened.verified();
    tally
        .add(offset, verified.validatorId(), verified.header(), opened.vote())
        .ifPresent(this::keep);
  }

  private void keep(VoteTally.Equivocation found) {
    String description =
        "equivocation: validator "
            + found.validatorId()
            + " signed two headers at height "
            + found.height();
    log.warn("alarm: {}", description);
    status.alarm(description);
    store.keep(
        new LedgerStore.Evidence(
            "EQUIVOCATION",
            found.height(),
            found.validatorId(),
            description,
            found.first(),
            found.second()));
  }

  private void commit(
      Pending pending,
      QuorumCertificate certificate,
      VoteTally tally,
      VoteArrivals arrivals,
      VoteReader votes,
      OrderedWriter committer)
      throws InterruptedException {
    BlockResult block = pending.block();
    List<String> signers;
    try {
      // Checked again as it is stored: the certificate is what auditors will verify.
      signers = certificate.verify(genesis.validators(), block.header());
    } catch (VerificationException e) {
      throw new AssertionError("a certificate from verified votes does not verify", e);
    }
    long height = block.header().height();
    tally.committed(height);
    List<VoteArrivals.Arrival> voted = arrivals.committed(block.header());
    LedgerStore.CommittedBlock committed =
        new LedgerStore.CommittedBlock(
            settings.shard(),
            block,
            certificate,
            signers,
            pending.records(),
            pending.nextOffset(),
            tally.resumeOffset(votes.position()),
            pending.snapshot(),
            FinalizedEvent.toBytes(block.header(), certificate),
            List.of(),
            voted);
    committer.submit(() -> write(withKinds(committed)));
  }

  /**
   * The block with the envelope type of each record, for auditors' searches: parsed on the
   * committer thread, off the loop. A record the network refused as unreadable has no type (null).
   */
  private LedgerStore.CommittedBlock withKinds(LedgerStore.CommittedBlock committed) {
    List<@Nullable String> kinds = new ArrayList<>(committed.records().size());
    Stream stream = Stream.log(committed.shard());
    for (LogRecord record : committed.records()) {
      String kind;
      try {
        kind = Envelope.parse(record.value(), genesis, stream).type().wireName();
      } catch (VerificationException e) {
        kind = null;
      }
      kinds.add(kind);
    }
    return new LedgerStore.CommittedBlock(
        committed.shard(),
        committed.block(),
        committed.certificate(),
        committed.signers(),
        committed.records(),
        committed.logNextOffset(),
        committed.votesNextOffset(),
        committed.snapshot(),
        committed.finalizedEvent(),
        Collections.unmodifiableList(kinds),
        committed.votes());
  }

  /** On the committer thread: one certified block, one transaction. */
  private void write(LedgerStore.CommittedBlock committed) {
    long start = clock.millis();
    store.commit(committed);
    long now = clock.millis();
    BlockResult block = committed.block();
    status.committed(block.header().height());
    observer.committed(
        block, Math.max(0, now - block.header().logTime()), Math.max(0, now - start));
  }

  private void halt(BlockHeader computed, VoteTally.Certified certified) {
    String reason =
        "a quorum of validators certified another header at height "
            + computed.height()
            + " than the one this ledger computed ("
            + certified.header().hash().toHex()
            + " instead of "
            + computed.hash().toHex()
            + "); the ledger stops applying blocks";
    log.error("HALT: {}", reason);
    store.keep(
        new LedgerStore.Evidence(
            "CERTIFIED_MISMATCH",
            computed.height(),
            null,
            reason,
            computed.toBytes(),
            certified.certificate().toBytes()));
    status.halt(reason);
  }
}
