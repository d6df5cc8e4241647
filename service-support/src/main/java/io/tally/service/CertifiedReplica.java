package io.tally.service;

import io.tally.engine.AccountView;
import io.tally.engine.Asset;
import io.tally.engine.BlockResult;
import io.tally.engine.Code;
import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.Outcome;
import io.tally.engine.ParticipantView;
import io.tally.engine.PreVerified;
import io.tally.engine.Rules;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.FinalizedEvent;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An engine replica that follows the log and exposes its state only as of certified blocks: after
 * each block it computes, it reads finality events until one for that height brings a certificate
 * that verifies against the genesis over exactly the header it computed. Finality events are hints
 * signed by one ledger instance: one that does not check out is counted and skipped. Only {@code q}
 * validators' signatures over another header at that height stop it ({@link #halted()}, which its
 * service reports as DOWN).
 *
 * <p>The engine applies a block before its certificate can be checked, so reads of the state
 * (accounts, participants, assets) wait, for at most {@link #READ_WAIT_MAX}, while the engine holds
 * a block that is not certified yet, and throw {@link NotCertified} if it is not certified by then
 * or the replica stopped: they never show a balance or a key that no quorum certified.
 *
 * <p>It keeps no state of its own: on start it replays the log from the beginning.
 */
public final class CertifiedReplica implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(CertifiedReplica.class);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration BACKOFF = Duration.ofSeconds(1);

  /** How long a read of the state waits for the certificate of a block the engine applied. */
  public static final Duration READ_WAIT_MAX = Duration.ofSeconds(5);

  /**
   * A read found no certified state to show: the certificate of a block the engine applied did not
   * arrive in time, or the replica stopped following the network.
   */
  public static final class NotCertified extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotCertified(String message) {
      super(message);
    }
  }

  /** A value read from the replica and the certified height it is as of. */
  public record AsOf<T>(T value, long height) {}

  /** Outcomes of the most recent instruction ids kept for status queries. */
  private static final int OUTCOMES_KEPT = 200_000;

  private final Genesis genesis;
  private final int shard;
  private final Supplier<LogReader> logReaders;
  private final Supplier<FinalityReader> finalityReaders;
  private final ParallelPreVerifier verifiers;
  private final Object lock = new Object();
  // Written under the lock by this replica's thread only; volatile so that checks which need no
  // consistent view across fields (the engine's thread-safe pre-verification, the certified
  // offset) read it without waiting for a block being applied.
  private volatile Engine engine;
  private final AccountIndex accountIndex = new AccountIndex();
  private List<Outcome> pendingOutcomes = List.of();
  private volatile long certifiedHeight;
  // The directory exactly as of certifiedHeight, for authentication while the next block waits.
  private volatile @Nullable Directory certifiedDirectory;
  private volatile long certifiedOffset = -1;
  private volatile long computedHeight;
  private volatile long lag = -1;
  private final LinkedHashMap<String, Outcome> outcomes =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
          return size() > OUTCOMES_KEPT;
        }
      };
  private volatile @Nullable String halted;
  private volatile @Nullable String watchedProducer;
  private final AtomicLong hintsRefused = new AtomicLong();
  private volatile boolean stopping;
  private final List<Consumer<CertifiedBlock>> listeners = new CopyOnWriteArrayList<>();
  private final @Nullable ReplicaSnapshots snapshots;
  private final int snapshotEveryBlocks;
  private final NewestOnlyWriter snapshotWriter = new NewestOnlyWriter("replica-snapshots");
  private volatile long startedFromHeight;
  private volatile long snapshotHeight;

  public CertifiedReplica(
      Genesis genesis,
      int shard,
      Supplier<LogReader> logReaders,
      Supplier<FinalityReader> finalityReaders,
      ParallelPreVerifier verifiers) {
    this(genesis, shard, logReaders, finalityReaders, verifiers, null, 0);
  }

  /**
   * A replica that starts from its newest snapshot in {@code snapshots} (if any) and stores a new
   * one every {@code snapshotEveryBlocks} certified blocks, in the background.
   */
  public CertifiedReplica(
      Genesis genesis,
      int shard,
      Supplier<LogReader> logReaders,
      Supplier<FinalityReader> finalityReaders,
      ParallelPreVerifier verifiers,
      @Nullable ReplicaSnapshots snapshots,
      int snapshotEveryBlocks) {
    this.snapshots = snapshots;
    this.snapshotEveryBlocks = snapshotEveryBlocks;
    this.genesis = genesis;
    this.shard = shard;
    this.logReaders = logReaders;
    this.finalityReaders = finalityReaders;
    this.verifiers = verifiers;
    this.engine = new Engine(genesis, Rules.DEFAULT, shard);
  }

  /**
   * Calls {@code listener} with every block once it is certified, on the replica's thread (keep it
   * short). A replay from the start after an error repeats earlier blocks.
   */
  public void onCertified(Consumer<CertifiedBlock> listener) {
    listeners.add(listener);
  }

  public void stop() {
    stopping = true;
  }

  /**
   * Reports the records whose envelope names {@code producer} in each certified block ({@link
   * CertifiedBlock#watched()}): how a producer follows its own chain in the log.
   */
  public void watchProducer(String producer) {
    watchedProducer = producer;
  }

  /**
   * Runs {@code read} (a read of this replica) and names the certified height its answer is as of:
   * no block is certified between the two. Reading the height separately could name the next one.
   */
  public <T> AsOf<T> asOf(Supplier<T> read) {
    synchronized (lock) {
      T value = read.get(); // the lock is re-entrant; a read waiting for a certificate releases it
      return new AsOf<>(value, certifiedHeight);
    }
  }

  /** Every participant as of certified block {@code height}. */
  private record Directory(long height, Map<String, ParticipantView> participants) {}

  /**
   * A participant as of the last certified block, without waiting: while the replica holds a
   * computed block whose certificate has not come (finalization stalled), the directory kept when
   * the last block was certified answers. For authentication, which must keep working exactly when
   * auditors look at a stall; a key revoked in the waiting block is still valid, since that block
   * is not final.
   */
  public Optional<ParticipantView> certifiedParticipant(String id) {
    synchronized (lock) {
      Directory directory = certifiedDirectory;
      if (directory != null && directory.height() == certifiedHeight) {
        return Optional.ofNullable(directory.participants().get(id));
      }
      awaitCertifiedState();
      return engine.participant(id);
    }
  }

  /** A participant as of the last certified block. */
  public Optional<ParticipantView> participant(String id) {
    synchronized (lock) {
      awaitCertifiedState();
      return engine.participant(id);
    }
  }

  /** An account's balances as of the last certified block. */
  public Optional<AccountView> account(String id) {
    synchronized (lock) {
      awaitCertifiedState();
      return engine.account(id);
    }
  }

  /**
   * Up to {@code limit} accounts with ids after {@code after}, sorted by id: those of {@code
   * owner}, or all when it is null. Accounts opened in a block appear once the replica computed it.
   */
  public List<AccountView> accounts(@Nullable String owner, String after, int limit) {
    synchronized (lock) {
      awaitCertifiedState();
      return accountIndex.page(owner, after, limit).stream()
          .map(engine::account)
          .flatMap(Optional::stream)
          .toList();
    }
  }

  /** All participant ids as of the last certified block, sorted. */
  public List<String> participantIds() {
    synchronized (lock) {
      awaitCertifiedState();
      return engine.participantIds();
    }
  }

  /** All assets as of the last certified block, sorted by code. */
  public List<Asset> assets() {
    synchronized (lock) {
      awaitCertifiedState();
      return engine.assets();
    }
  }

  /**
   * The outcome of the first certified entry that carried {@code instructionId} and claimed it
   * (accepted or rejected by a rule after its signatures were checked), among the most recent ones.
   */
  public Optional<Outcome> outcome(String instructionId) {
    synchronized (lock) {
      Outcome recent = outcomes.get(instructionId);
      // After a restore from a snapshot, earlier ids are known while the engine remembers them.
      // The engine may hold a block that is not certified yet: only offsets a certificate covers.
      return recent != null
          ? Optional.of(recent)
          : engine.rememberedOutcome(instructionId).filter(o -> o.offset() <= certifiedOffset);
    }
  }

  /** The content hash a certified block applied {@code instructionId} with, while remembered. */
  public Optional<Hash> rememberedContent(String instructionId) {
    synchronized (lock) {
      return engine.rememberedContent(instructionId);
    }
  }

  /**
   * The engine's stateless checks of a bare instruction (signatures against the keys known so far),
   * without an envelope.
   */
  public PreVerified checkInstruction(byte[] instruction) {
    return engine.preVerifyInstruction(instruction); // thread-safe, also while applying
  }

  /**
   * Under the lock: returns once the engine holds exactly the state after the last certified block.
   *
   * @throws NotCertified after {@link #READ_WAIT_MAX}, or at once if the replica stopped following
   */
  private void awaitCertifiedState() {
    long deadline = System.nanoTime() + READ_WAIT_MAX.toNanos();
    while (engine.height() > certifiedHeight || engine.openBlockApplied() > 0) {
      String stopped = halted;
      if (stopped != null) {
        throw new NotCertified("this replica stopped following the network: " + stopped);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || stopping) {
        throw new NotCertified(
            "the state after block "
                + engine.height()
                + " is computed but not certified yet (waited "
                + READ_WAIT_MAX.toSeconds()
                + " s); try again");
      }
      try {
        lock.wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NotCertified("interrupted while waiting for a certificate");
      }
    }
  }

  /** Under the lock, when a block is certified: the directory if the engine holds exactly it. */
  private void keepDirectory() {
    if (engine.height() != certifiedHeight || engine.openBlockApplied() > 0) {
      certifiedDirectory = null;
      return;
    }
    Map<String, ParticipantView> participants = new HashMap<>();
    for (String id : engine.participantIds()) {
      engine.participant(id).ifPresent(view -> participants.put(id, view));
    }
    certifiedDirectory = new Directory(certifiedHeight, Map.copyOf(participants));
  }

  /** The last log offset a certified block covers; -1 before the first block. */
  public long certifiedOffset() {
    return certifiedOffset;
  }

  public long certifiedHeight() {
    return certifiedHeight;
  }

  /** The height of the newest block the replica computed, certified or not. */
  public long computedHeight() {
    return computedHeight;
  }

  /** Records between the replica's read position and the end of the log; -1 until known. */
  public long lag() {
    return lag;
  }

  /** Why following stopped for good, or null. */
  public @Nullable String halted() {
    return halted;
  }

  @Override
  public void run() {
    while (!stopping && halted == null) {
      try {
        follow();
      } catch (RuntimeException e) {
        log.error("following finalized blocks failed; replaying from the start in {}", BACKOFF, e);
        pause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void follow() throws InterruptedException {
    long from = restore();
    Map<Long, Map<String, FinalizedEvent>> finalized = new HashMap<>();
    try (LogReader logReader = logReaders.get();
        FinalityReader finalityReader = finalityReaders.get()) {
      logReader.seek(from);
      ArrayDeque<LogRecord> pending = new ArrayDeque<>();
      ArrayDeque<PreVerified> verified = new ArrayDeque<>();
      // Instruction id -> key ids that signed it, for the records of the open block.
      Map<String, List<String>> signerKeys = new HashMap<>();
      // Offset -> envelope, of the open block's records that name the watched producer.
      Map<Long, Envelope> watchedRecords = new LinkedHashMap<>();
      while (!stopping && halted == null) {
        if (pending.isEmpty()) {
          List<LogRecord> batch = logReader.poll(POLL);
          lag = logReader.lag();
          pending.addAll(batch);
          // Without the lock: pre-verification is thread-safe, and only this thread replaces the
          // engine. Holding it here made every request that reads the replica wait for a batch's
          // signatures.
          verified.addAll(verifiers.preVerify(engine, batch));
        }
        while (!pending.isEmpty()) {
          pending.poll();
          PreVerified next = verified.poll();
          String producer = watchedProducer;
          if (producer != null) {
            next.envelope()
                .filter(e -> e.producer().equals(producer))
                .ifPresent(e -> watchedRecords.put(next.offset(), e));
          }
          if (!next.signerKeyIds().isEmpty()) {
            next.instructionId().ifPresent(id -> signerKeys.putIfAbsent(id, next.signerKeyIds()));
          }
          Optional<BlockResult> block;
          synchronized (lock) {
            block = engine.offer(next);
            block.ifPresent(result -> accountIndex.add(result.changedAccounts()));
            computedHeight = engine.height();
          }
          if (block.isPresent()) {
            pendingOutcomes = block.get().outcomes();
            awaitCertificate(block.get().header(), finalized, finalityReader);
            if (halted != null || stopping) {
              return;
            }
            CertifiedBlock certified =
                new CertifiedBlock(
                    block.get(), owners(signerKeys), sealedRecords(block.get(), watchedRecords));
            signerKeys.clear();
            watchedRecords.clear();
            for (Consumer<CertifiedBlock> listener : listeners) {
              listener.accept(certified);
            }
            maybeSnapshot(block.get().header());
          }
        }
        readFinality(finalityReader, finalized);
      }
    }
  }

  /**
   * The watched records whose seal verified, in log order. A record refused as {@code
   * SIGNATURE_INVALID} may have a bad seal (forged bytes: nobody wrote under the producer's id) or
   * a bad participant signature inside a good seal (written by the producer's key): its seal is
   * checked again to tell them apart (rare, so cheap).
   */
  private List<CertifiedBlock.ChainRecord> sealedRecords(
      BlockResult block, Map<Long, Envelope> watched) {
    if (watched.isEmpty()) {
      return List.of();
    }
    Map<Long, Code> codes = new HashMap<>();
    for (Outcome outcome : block.outcomes()) {
      codes.put(outcome.offset(), outcome.code());
    }
    List<CertifiedBlock.ChainRecord> records = new ArrayList<>(watched.size());
    for (Map.Entry<Long, Envelope> record : watched.entrySet()) {
      Envelope envelope = record.getValue();
      if (codes.get(record.getKey()) == Code.SIGNATURE_INVALID) {
        try {
          envelope.verifySeal(genesis.instances());
        } catch (VerificationException e) {
          continue;
        }
      }
      records.add(
          new CertifiedBlock.ChainRecord(
              record.getKey(), envelope.epoch(), envelope.seq(), envelope.hash()));
    }
    return records;
  }

  /** The participants owning each instruction's signing keys, as the engine knows them now. */
  private Map<String, List<String>> owners(Map<String, List<String>> signerKeys) {
    Map<String, List<String>> owners = new HashMap<>();
    synchronized (lock) {
      for (Map.Entry<String, List<String>> entry : signerKeys.entrySet()) {
        owners.put(
            entry.getKey(),
            entry.getValue().stream()
                .map(engine::keyOwner)
                .flatMap(Optional::stream)
                .distinct()
                .toList());
      }
    }
    return owners;
  }

  /**
   * Starts the engine from the newest readable snapshot, or from genesis.
   *
   * @return the log offset to read from
   */
  private long restore() {
    Optional<ReplicaSnapshots.Stored> stored =
        snapshots == null ? Optional.empty() : snapshots.load();
    synchronized (lock) {
      engine = new Engine(genesis, Rules.DEFAULT, shard);
      certifiedHeight = 0;
      certifiedOffset = -1;
      long next = 0;
      if (stored.isPresent()) {
        try {
          engine = Engine.restore(genesis, Rules.DEFAULT, stored.get().engine());
          certifiedHeight = stored.get().height();
          certifiedOffset = stored.get().certifiedOffset();
          startedFromHeight = certifiedHeight;
          next = stored.get().nextOffset();
          log.info("replica restored at certified height {}", certifiedHeight);
        } catch (RuntimeException e) {
          log.warn("the snapshot does not restore; replaying from the start", e);
          engine = new Engine(genesis, Rules.DEFAULT, shard);
        }
      }
      accountIndex.clear();
      accountIndex.add(engine.accounts());
      computedHeight = engine.height();
      return next;
    }
  }

  /**
   * Every {@code snapshotEveryBlocks} certified blocks, a snapshot of the engine as certified at
   * {@code header} (the block just closed, nothing of the next one offered yet), written in the
   * background. Only this thread changes the engine, so reading it here needs no lock.
   */
  private void maybeSnapshot(BlockHeader header) {
    ReplicaSnapshots store = snapshots;
    if (store == null || snapshotEveryBlocks <= 0 || header.height() % snapshotEveryBlocks != 0) {
      return;
    }
    Supplier<byte[]> state = engine.snapshotLater(); // finished on the writer's thread
    snapshotWriter.submit(
        "the replica snapshot at height " + header.height(),
        () -> {
          store.save(
              new ReplicaSnapshots.Stored(
                  header.height(), header.lastOffset(), header.lastOffset() + 1, state.get()));
          snapshotHeight = header.height();
        });
  }

  /** The certified height this replica last restored from a snapshot; 0 if it replayed. */
  public long startedFromHeight() {
    return startedFromHeight;
  }

  /** The height of the newest snapshot stored; 0 before the first. */
  public long snapshotHeight() {
    return snapshotHeight;
  }

  /**
   * Holds the directory at the previous height until {@code header} is certified: a finality event
   * is a hint by one ledger instance, and only a certificate of {@code q} validators over exactly
   * the header this replica computed certifies it. A hint that does not check out is counted and
   * skipped, and the next one for the height is tried. Only a quorum over another header at this
   * height halts the replica: then no honest header can be certified here (DESIGN section 2).
   */
  private void awaitCertificate(
      BlockHeader header, Map<Long, Map<String, FinalizedEvent>> finalized, FinalityReader reader) {
    while (!stopping) {
      Map<String, FinalizedEvent> hints = finalized.get(header.height());
      FinalizedEvent hint = null;
      if (hints != null && !hints.isEmpty()) {
        String producer = hints.keySet().iterator().next();
        hint = hints.remove(producer);
      }
      if (hint == null) {
        readFinality(reader, finalized);
        continue;
      }
      try {
        hint.certificate().verify(genesis.validators(), header);
      } catch (VerificationException e) {
        String evidence = quorumOverAnotherHeader(hint, header);
        if (evidence != null) {
          halt(evidence);
          return;
        }
        hintsRefused.incrementAndGet();
        log.warn(
            "skipping a finality event for height {} whose certificate does not certify the header"
                + " this replica computed: {}",
            header.height(),
            e.getMessage());
        continue;
      }
      finalized.remove(header.height());
      synchronized (lock) {
        certifiedHeight = header.height();
        certifiedOffset = header.lastOffset();
        keepDirectory();
        for (Outcome outcome : pendingOutcomes) {
          String id = outcome.instructionId();
          if (id != null && !outcome.isResubmission()) {
            outcomes.putIfAbsent(id, outcome);
          }
        }
        lock.notifyAll(); // reads waiting for a certified state
      }
      return;
    }
  }

  /**
   * The evidence if {@code hint} carries a valid quorum certificate over another header of this
   * network, shard and height than {@code computed}; null otherwise.
   */
  private @Nullable String quorumOverAnotherHeader(FinalizedEvent hint, BlockHeader computed) {
    BlockHeader other;
    try {
      other = BlockHeader.fromBytes(hint.certificate().unverifiedHeaderBytes());
      if (!other.network().equals(computed.network())
          || other.shard() != computed.shard()
          || other.height() != computed.height()
          || other.equals(computed)) {
        return null;
      }
      List<String> signers = hint.certificate().verify(genesis.validators(), other);
      return "validators "
          + signers
          + " certified another header at height "
          + computed.height()
          + " than this replica computed: certified "
          + Base64Url.encode(other.toBytes())
          + ", computed "
          + Base64Url.encode(computed.toBytes());
    } catch (VerificationException e) {
      return null; // not a quorum: a bad hint
    }
  }

  private void halt(String evidence) {
    halted = evidence;
    log.error("HALT: {}", evidence);
    synchronized (lock) {
      lock.notifyAll(); // reads waiting for a certificate that will not come
    }
  }

  /**
   * Reads finality events into {@code finalized}: height to the newest hint of each ledger instance
   * for it, for heights not certified yet, so one lying instance cannot crowd out another's. Events
   * that do not open as a ledger instance's finality event of this shard, or do not parse, are
   * counted and skipped.
   */
  private void readFinality(
      FinalityReader reader, Map<Long, Map<String, FinalizedEvent>> finalized) {
    for (byte[] value : reader.poll(POLL)) {
      try {
        Envelope envelope = Envelope.open(value, genesis, Stream.finalized(shard));
        FinalizedEvent event = FinalizedEvent.parse(envelope.body());
        long height = event.header().height();
        if (height > certifiedHeight() && event.header().shard() == shard) {
          finalized
              .computeIfAbsent(height, h -> new LinkedHashMap<>())
              .put(envelope.producer(), event);
        }
      } catch (VerificationException e) {
        hintsRefused.incrementAndGet();
        log.warn("skipping a finality event that does not open: {}", e.getMessage());
      }
    }
  }

  /**
   * Finality events skipped: unreadable, of no ledger instance, or not certifying what it computed.
   */
  public long hintsRefused() {
    return hintsRefused.get();
  }

  private void pause() {
    try {
      Thread.sleep(BACKOFF.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }
}
