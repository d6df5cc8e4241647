package io.tally.service;

import io.tally.engine.AccountView;
import io.tally.engine.Asset;
import io.tally.engine.BlockResult;
import io.tally.engine.Code;
import io.tally.engine.Engine;
import io.tally.engine.Outcome;
import io.tally.engine.ParticipantView;
import io.tally.engine.PreVerified;
import io.tally.follower.Certifier;
import io.tally.follower.ChainFollower;
import io.tally.follower.ComputedBlock;
import io.tally.follower.FinalityCertifier;
import io.tally.follower.FinalityReader;
import io.tally.follower.FollowerPolicy;
import io.tally.follower.LogReader;
import io.tally.follower.ParallelPreVerifier;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.genesis.Genesis;
import java.time.Clock;
import java.time.Duration;
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
 * <p>A {@link ChainFollower} does the reading, with a {@link FinalityCertifier} and at most one
 * block waiting for its certificate; after a failure it starts again from the newest snapshot, or
 * replays the log from the beginning.
 */
public final class CertifiedReplica implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(CertifiedReplica.class);
  private static final Duration POLL = Duration.ofMillis(50);
  // The longest wait between two attempts after a failure.
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
  private final Supplier<FinalityReader> finalityReaders;
  private final Object lock = new Object();
  // Written under the lock by this replica's thread only; volatile so that checks which need no
  // consistent view across fields (the engine's thread-safe pre-verification, the certified
  // offset) read it without waiting for a block being applied.
  private volatile Engine engine;
  private final AccountIndex accountIndex = new AccountIndex();
  private volatile long certifiedHeight;
  // The directory exactly as of certifiedHeight, for authentication while the next block waits.
  private volatile @Nullable Directory certifiedDirectory;
  private volatile long certifiedOffset = -1;
  private volatile long computedHeight;
  private volatile long lag = -1;
  private volatile boolean caughtUp;
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
  private final ChainFollower follower;
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
    this.finalityReaders = finalityReaders;
    this.engine = new Engine(genesis, shard);
    this.follower =
        new ChainFollower(
            genesis,
            logReaders,
            verifiers,
            Clock.systemUTC(),
            new ChainFollower.Settings("replica", shard, POLL, 1, null, BACKOFF),
            new Policy());
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
    follower.stop();
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

  /**
   * Whether the replica has read the log to its end since it (re)started. Before, a key may be
   * unknown here only because the block that registered it has not been read yet.
   */
  public boolean caughtUp() {
    return caughtUp;
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
    follower.run();
  }

  /**
   * The follower that feeds this replica: {@link #run} runs it on the caller's thread; the
   * simulator steps it instead ({@link ChainFollower#start}).
   */
  public ChainFollower follower() {
    return follower;
  }

  /** What the replica does with each block its follower computes and certifies. */
  private final class Policy implements FollowerPolicy {

    // The snapshot this attempt starts from, if any.
    private ReplicaSnapshots.@Nullable Stored stored;
    // Instruction id -> key ids that signed it, for the records of the open block.
    private final Map<String, List<String>> signerKeys = new HashMap<>();
    // Offset -> envelope, of the open block's records that name the watched producer.
    private final Map<Long, Envelope> watchedRecords = new LinkedHashMap<>();

    @Override
    public Start start() {
      ReplicaSnapshots store = snapshots;
      stored = store == null ? null : store.load().orElse(null);
      ReplicaSnapshots.Stored from = stored;
      return from == null
          ? Start.genesis()
          : new Start(from.engine(), from.nextOffset(), from.height());
    }

    /** A snapshot that does not restore: replay from the start, certifying every block again. */
    @Override
    public Start unreadableSnapshot(Start start) {
      stored = null;
      return Start.genesis();
    }

    @Override
    public Certifier certifier(Start start) {
      return new FinalityCertifier(
          genesis,
          shard,
          finalityReaders.get(),
          start.certifiedHeight(),
          POLL,
          hintsRefused::incrementAndGet);
    }

    @Override
    public void started(Engine restored, Start start) {
      caughtUp = false;
      signerKeys.clear();
      watchedRecords.clear();
      ReplicaSnapshots.Stored from = stored;
      synchronized (lock) {
        engine = restored;
        certifiedHeight = start.certifiedHeight();
        certifiedOffset = from == null ? -1 : from.certifiedOffset();
        certifiedDirectory = null;
        if (from != null) {
          startedFromHeight = from.height();
          log.info("replica restored at certified height {}", from.height());
        }
        accountIndex.clear();
        accountIndex.add(restored.accounts());
        computedHeight = restored.height();
      }
    }

    @Override
    public boolean snapshotAt(long height) {
      return snapshots != null && snapshotEveryBlocks > 0 && height % snapshotEveryBlocks == 0;
    }

    @Override
    public void offering(Engine engine, PreVerified next) {
      String producer = watchedProducer;
      if (producer != null) {
        next.envelope()
            .filter(e -> e.producer().equals(producer))
            .ifPresent(e -> watchedRecords.put(next.offset(), e));
      }
      if (!next.signerKeyIds().isEmpty()) {
        next.instructionId().ifPresent(id -> signerKeys.putIfAbsent(id, next.signerKeyIds()));
      }
    }

    /** Under the lock its reads take: they never see a block half applied. */
    @Override
    public Optional<BlockResult> offer(Engine engine, PreVerified next) {
      synchronized (lock) {
        Optional<BlockResult> block = engine.offer(next);
        block.ifPresent(result -> accountIndex.add(result.changedAccounts()));
        computedHeight = engine.height();
        return block;
      }
    }

    @Override
    public void certified(ComputedBlock computed, QuorumCertificate certificate) {
      BlockResult block = computed.block();
      BlockHeader header = block.header();
      synchronized (lock) {
        certifiedHeight = header.height();
        certifiedOffset = header.lastOffset();
        keepDirectory();
        for (Outcome outcome : block.outcomes()) {
          String id = outcome.instructionId();
          if (id != null && !outcome.isResubmission()) {
            outcomes.putIfAbsent(id, outcome);
          }
        }
        lock.notifyAll(); // reads waiting for a certified state
      }
      CertifiedBlock certified =
          new CertifiedBlock(block, owners(signerKeys), sealedRecords(block, watchedRecords));
      signerKeys.clear();
      watchedRecords.clear();
      for (Consumer<CertifiedBlock> listener : listeners) {
        listener.accept(certified);
      }
      Supplier<byte[]> state = computed.snapshot();
      if (state != null) {
        saveSnapshot(header, state);
      }
    }

    @Override
    public String halted(ComputedBlock computed, Certifier.Conflict conflict) {
      BlockHeader other = conflict.header();
      List<String> signers;
      try {
        signers = conflict.certificate().verify(genesis.validators(), other);
      } catch (VerificationException e) {
        throw new AssertionError("a conflicting certificate that verified no longer does", e);
      }
      String evidence =
          "validators "
              + signers
              + " certified another header at height "
              + computed.height()
              + " than this replica computed: certified "
              + Base64Url.encode(other.toBytes())
              + ", computed "
              + Base64Url.encode(computed.header().toBytes());
      halted = evidence;
      synchronized (lock) {
        lock.notifyAll(); // reads waiting for a certificate that will not come
      }
      return evidence;
    }

    @Override
    public void lag(long records) {
      lag = records;
      if (records == 0) {
        caughtUp = true;
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

  /** A snapshot of the engine as certified at {@code header}, written in the background. */
  private void saveSnapshot(BlockHeader header, Supplier<byte[]> state) {
    ReplicaSnapshots store = snapshots;
    if (store == null) {
      return;
    }
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
   * Finality events skipped: unreadable, of no ledger instance, or not certifying what it computed.
   */
  public long hintsRefused() {
    return hintsRefused.get();
  }
}
