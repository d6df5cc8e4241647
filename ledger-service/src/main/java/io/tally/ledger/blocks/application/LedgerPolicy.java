package io.tally.ledger.blocks.application;

import io.tally.engine.BlockResult;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.follower.Certifier;
import io.tally.follower.ChainFollower;
import io.tally.follower.ComputedBlock;
import io.tally.follower.FollowerPolicy;
import io.tally.follower.VoteCertifier;
import io.tally.follower.VoteTally;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.FinalizedEvent;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the ledger does with the chain its {@link ChainFollower} computes: certify each block from
 * the votes topic ({@link VoteCertifier}) and commit it, in order, once a quorum of validators
 * signed exactly the header computed here.
 *
 * <p>When a quorum certifies a different header at a height, the ledger keeps the evidence and
 * stops for good: it never applies a block it did not compute, and a restart reaches the same
 * verdict. Any other failure (database or broker) ends the follower's attempt, which starts again
 * from the stored progress, so nothing is lost or applied twice.
 *
 * <p>Certified blocks are written by a committer thread, in order, one transaction each, while the
 * follower reads, verifies and computes the blocks after them: the database's commit (an fsync)
 * does not stop the ledger's computation. A failed commit ends the attempt like any other failure;
 * the blocks queued after it are dropped and computed again from the stored progress.
 */
public final class LedgerPolicy implements FollowerPolicy {

  private static final Logger log = LoggerFactory.getLogger(LedgerPolicy.class);
  private static final Duration COMMITTER_DRAIN_MAX = Duration.ofSeconds(30);

  /**
   * Settings of the policy.
   *
   * @param snapshotPhase snapshots are taken at heights {@code h} where {@code (h + snapshotPhase)
   *     % snapshotEveryBlocks == 0}, apart from the validators' own snapshot heights
   * @param commitsQueuedMax certified blocks queued for the committer thread; 0 commits each on the
   *     follower's thread (the simulator)
   */
  public record Settings(
      int shard, int snapshotEveryBlocks, int snapshotPhase, int commitsQueuedMax) {}

  private final Genesis genesis;
  private final VoteCertifier.Factory certifiers;
  private final LedgerStore store;
  private final Settings settings;
  private final LedgerStatus status;
  private final CommitObserver observer;
  private final Clock clock;
  private LedgerStore.Progress progress = LedgerStore.Progress.START;
  private @Nullable VoteCertifier votes;
  private @Nullable OrderedWriter committer;

  public LedgerPolicy(
      Genesis genesis,
      VoteCertifier.Factory certifiers,
      LedgerStore store,
      Settings settings,
      LedgerStatus status,
      CommitObserver observer,
      Clock clock) {
    this.genesis = genesis;
    this.certifiers = certifiers;
    this.store = store;
    this.settings = settings;
    this.status = status;
    this.observer = observer;
    this.clock = clock;
  }

  /** From the stored progress and the newest snapshot at or below its height. */
  @Override
  public Start start() {
    LedgerStore.Progress progress = store.progress(settings.shard());
    this.progress = progress;
    Optional<LedgerStore.Snapshot> snapshot = store.snapshotAtOrBelow(progress.height());
    return snapshot
        .map(s -> new Start(s.state(), s.nextOffset(), progress.height()))
        .orElseGet(() -> new Start(null, 0, progress.height()));
  }

  @Override
  public Certifier certifier(Start start) {
    VoteCertifier certifier =
        certifiers.open(
            start.certifiedHeight(),
            progress.votesNextOffset(),
            new VoteCertifier.Listener() {
              @Override
              public void seen(String validatorId, long height, long timestamp) {
                status.voted(validatorId, height, timestamp);
              }

              @Override
              public void equivocation(VoteTally.Equivocation found) {
                keep(found);
              }
            });
    votes = certifier;
    return certifier;
  }

  @Override
  public void started(Engine engine, Start start) {
    committer =
        new OrderedWriter("ledger-committer", settings.commitsQueuedMax(), COMMITTER_DRAIN_MAX);
    status.started(start.certifiedHeight());
  }

  @Override
  public boolean snapshotAt(long height) {
    return (height + settings.snapshotPhase()) % settings.snapshotEveryBlocks() == 0;
  }

  /** A block below the stored head, recomputed on replay, must be the one committed. */
  @Override
  public void replayed(ComputedBlock block) {
    status.computed(block.height());
    Optional<Hash> stored = store.headerHash(block.height());
    if (stored.isPresent() && !stored.get().equals(block.header().hash())) {
      throw new IllegalStateException(
          "replaying the log gives another header at committed height "
              + block.height()
              + " than the one stored; the database or the log was changed");
    }
  }

  @Override
  public void computed(Engine engine, ComputedBlock block) {
    status.computed(block.height());
  }

  @Override
  public void stepped(Engine engine) {
    OrderedWriter writer = committer;
    if (writer != null) {
      writer.rethrowFailure();
    }
  }

  @Override
  public void certified(ComputedBlock pending, QuorumCertificate certificate) {
    VoteCertifier certifier = votes;
    OrderedWriter writer = committer;
    if (certifier == null || writer == null) {
      throw new IllegalStateException("certified before the attempt started");
    }
    BlockResult block = pending.block();
    List<String> signers;
    try {
      // Checked again as it is stored: the certificate is what auditors will verify.
      signers = certificate.verify(genesis.validators(), block.header());
    } catch (VerificationException e) {
      throw new AssertionError("a certificate from verified votes does not verify", e);
    }
    VoteCertifier.CertifiedVotes read = certifier.lastCertified();
    LedgerStore.CommittedBlock committed =
        new LedgerStore.CommittedBlock(
            settings.shard(),
            block,
            certificate,
            signers,
            pending.records(),
            pending.nextOffset(),
            read.votesNextOffset(),
            pending.snapshot(),
            FinalizedEvent.toBytes(block.header(), certificate),
            List.of(),
            read.votes());
    try {
      writer.submit(() -> write(withKinds(committed)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing a commit", e);
    }
  }

  @Override
  public void waiting(ComputedBlock block, String description) {
    VoteCertifier certifier = votes;
    status.waiting(
        description,
        block.height(),
        certifier == null ? Set.of() : certifier.voters(block.header()),
        clock.millis());
  }

  @Override
  public String halted(ComputedBlock block, Certifier.Conflict conflict) {
    BlockHeader computed = block.header();
    String reason =
        "a quorum of validators certified another header at height "
            + computed.height()
            + " than the one this ledger computed ("
            + conflict.header().hash().toHex()
            + " instead of "
            + computed.hash().toHex()
            + "); the ledger stops applying blocks";
    store.keep(
        new LedgerStore.Evidence(
            "CERTIFIED_MISMATCH",
            computed.height(),
            null,
            reason,
            computed.toBytes(),
            conflict.certificate().toBytes()));
    status.halt(reason);
    return reason;
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

  /** Drains the committer: what was certified before the attempt ended is still written. */
  @Override
  public void ended() {
    OrderedWriter writer = committer;
    committer = null;
    votes = null;
    if (writer != null) {
      writer.close();
    }
  }

  @Override
  public void stopped() {
    if (status.halted() == null) {
      status.stopped();
    }
  }

  private void keep(VoteTally.Equivocation found) {
    String description =
        "equivocation: validator "
            + found.validatorId()
            + " signed two headers at height "
            + found.height();
    alarm(description);
    store.keep(
        new LedgerStore.Evidence(
            "EQUIVOCATION",
            found.height(),
            found.validatorId(),
            description,
            found.first(),
            found.second()));
  }

  /**
   * The block with the envelope type of each record, for auditors' searches: parsed on the
   * committer thread, off the follower. A record the network refused as unreadable has no type.
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
}
