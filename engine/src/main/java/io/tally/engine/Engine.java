package io.tally.engine;

import io.tally.protocol.codec.Hash;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.keys.VerificationKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The deterministic settlement state machine of one shard.
 *
 * <p>Thread safety: {@link #preVerify} and {@link #preVerifyInstruction} may run on any number of
 * threads at once, also while {@link #apply} runs; everything else must be called from one thread
 * at a time.
 *
 * <p>Rules, in the order they are checked for an instruction or governance change (the first broken
 * rule gives the code): the envelope opens and is signed by a genesis instance; the producer's
 * chain does not replay; the body parses and has an id; log time has not passed {@code notAfter},
 * which lies within the window; the id is new, or the resubmission is identical (then the original
 * outcome is repeated); every signature verifies, no key signs twice, no signing key is revoked
 * (governance: at least {@code g} administrators); then the id is remembered with its outcome,
 * stateless content rules (amounts, legs) and finally the kind's own rules apply.
 *
 * <p>This class is the engine's front: the work is done by {@link PreVerifier} (the pure stage),
 * {@link Blocks} (block, segment and record order), {@link Entries} (the rules every entry passes),
 * {@link Settlements} and {@link Governance} (the commands' rules) over one {@link EngineState};
 * {@link Snapshots} writes and reads that state.
 */
public final class Engine {

  private final Genesis genesis;
  private final int shard;
  private final EngineState state;
  private final PreVerifier preVerifier;
  private final Blocks blocks;

  /**
   * An engine at the start of the chain of {@code genesis}, shard {@code shard}, enforcing the
   * genesis' rules ({@link Rules#of(Genesis)}): what every validator and replica runs.
   */
  public Engine(Genesis genesis, int shard) {
    this(genesis, Rules.of(genesis), shard);
  }

  /**
   * An engine at the start of the chain of {@code genesis}, shard {@code shard}, enforcing {@code
   * rules} instead of the genesis' own. For tests that vary a limit: an engine whose rules differ
   * from the network's computes other outcomes than its validators, so production code uses {@link
   * #Engine(Genesis, int)}.
   */
  public Engine(Genesis genesis, Rules rules, int shard) {
    this.genesis = genesis;
    this.shard = shard;
    this.state = new EngineState(genesis.hash());
    this.preVerifier = new PreVerifier(genesis, rules, shard, state.keyDirectory);
    Settlements settlements = new Settlements(state, rules);
    Entries entries =
        new Entries(
            state, rules, preVerifier.directory(), settlements, new Governance(state, rules));
    this.blocks = new Blocks(genesis, rules, shard, state, entries, settlements);
  }

  // ---------------------------------------------------------------- pre-verification (parallel)

  /**
   * Opens, decodes and checks the signatures of one record. Pure apart from reading the key
   * directory, which only grows and binds each key id to one key forever (the id is the key's
   * thumbprint), so the result is the same whenever it runs.
   */
  public PreVerified preVerify(LogRecord record) {
    return preVerifier.preVerify(record);
  }

  /**
   * The stateless checks of a bare participant instruction (JWS JSON general serialization), as
   * {@link #preVerify} makes them for the instruction inside an envelope: what a front door can
   * tell before it seals and writes the instruction, without sealing a probe envelope. The result's
   * offset and log time are 0; it is for {@link PreVerified#earlyCode()} and the ids, never for
   * {@link #offer}. When every signature verified, the engine remembers the bytes for a while, and
   * {@link #preVerify} of a record carrying the same bytes does not verify them again.
   */
  public PreVerified preVerifyInstruction(byte[] instruction) {
    return preVerifier.preVerifyInstruction(instruction);
  }

  // ---------------------------------------------------------------- apply (sequential)

  /** Pre-verifies and applies one block of records, in log order. */
  public BlockResult execute(List<LogRecord> records) {
    List<PreVerified> entries = new ArrayList<>(records.size());
    for (LogRecord record : records) {
      entries.add(preVerify(record));
    }
    return apply(entries);
  }

  /**
   * Applies one block of pre-verified records in log order and closes the block at its last record:
   * outcomes, the entries and results roots, the chained state digest and the header of the next
   * height. For callers that know the block boundaries; consumers of the log use {@link #offer},
   * which finds them by the network's rule.
   *
   * @throws IllegalArgumentException for an empty block, more than {@link Rules#blockEntriesMax()}
   *     records, or while a block opened by {@link #offer} is unfinished
   */
  public BlockResult apply(List<PreVerified> entries) {
    return blocks.apply(entries);
  }

  /**
   * Applies the next record of the log and closes the block when the network's rule says so (DESIGN
   * section 5): at the first accepted {@code cut} for the height being built, or when the block
   * holds {@link Rules#blockEntriesMax()} records. Every validator and ledger feeding the same log
   * through this method closes the same blocks.
   *
   * <p>Records are applied a segment at a time: a segment ends at a cut marker or at the block's
   * last record, and its records' seals are admitted together (ADR 0011).
   *
   * @return the closed block, or empty while the block is still open
   */
  public Optional<BlockResult> offer(PreVerified entry) {
    return blocks.offer(entry);
  }

  /** Records offered to the block that {@link #offer} has open (0 when none is). */
  public int openBlockSize() {
    OpenBlock open = blocks.open();
    return open == null ? 0 : open.size();
  }

  /**
   * Records of the open block, other than cut markers, already applied to the state (0 when none is
   * open): those before a cut marker that did not close it. While it is 0, the state is exactly
   * that after block {@link #height} (an ignored cut marker changes nothing but the block's
   * outcomes; validators cut no block that holds only cut markers).
   */
  public int openBlockApplied() {
    OpenBlock open = blocks.open();
    return open == null ? 0 : open.appliedOtherThanCuts;
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * The whole state as bytes, between blocks; see {@link Snapshots} for the format.
   *
   * @throws IllegalStateException while a block opened by {@link #offer} is unfinished
   */
  public byte[] snapshot() {
    return snapshotLater().get();
  }

  /**
   * The same bytes as {@link #snapshot()} at this point, with most of the work (the remembered
   * instruction ids: sorting, encoding, the checksum) left to whoever calls the supplier, on any
   * thread and however much later: the state that changes from block to block is copied now. Lets a
   * service's loop hand the expensive part of a snapshot to a background writer.
   */
  public Supplier<byte[]> snapshotLater() {
    if (blocks.open() != null) {
      throw new IllegalStateException("snapshots are taken between blocks");
    }
    return Snapshots.prepare(genesis.hash(), shard, state);
  }

  /**
   * Restores an engine from {@link #snapshot()} bytes, enforcing the genesis' rules ({@link
   * Rules#of(Genesis)}): what every validator and replica runs.
   *
   * @throws IllegalArgumentException if the bytes are not an intact snapshot of this network
   */
  public static Engine restore(Genesis genesis, byte[] snapshot) {
    return restore(genesis, Rules.of(genesis), snapshot);
  }

  /**
   * Restores an engine from {@link #snapshot()} bytes, enforcing {@code rules} instead of the
   * genesis' own: for tests, as {@link #Engine(Genesis, Rules, int)}; production code uses {@link
   * #restore(Genesis, byte[])}.
   *
   * @throws IllegalArgumentException if the bytes are not an intact snapshot of this network
   */
  public static Engine restore(Genesis genesis, Rules rules, byte[] snapshot) {
    return Snapshots.read(genesis, rules, snapshot);
  }

  /** The state, for {@link Snapshots#read} to fill. */
  EngineState state() {
    return state;
  }

  // ---------------------------------------------------------------- queries

  /** Blocks applied so far; the next block has this height plus one. */
  public long height() {
    return state.height;
  }

  /** Hash of the last block header ({@link Hash#ZERO} before the first block). */
  public Hash lastHeaderHash() {
    return state.lastHeader;
  }

  /** The chained state digest after the last block (the genesis hash before the first). */
  public Hash stateDigest() {
    return state.stateDigest;
  }

  /** The engine's log time: the largest record log time applied so far. */
  public long logTime() {
    return state.logTime;
  }

  public Optional<AccountView> account(String id) {
    Account account = state.accounts.get(id);
    return account == null ? Optional.empty() : Optional.of(account.view());
  }

  /** All accounts, sorted by id. */
  public List<AccountView> accounts() {
    return EngineState.sortedValues(state.accounts).stream().map(Account::view).toList();
  }

  /** All registered assets, sorted by code. */
  public List<Asset> assets() {
    return EngineState.sortedValues(state.assets);
  }

  /** The ids of all participants, sorted. */
  public List<String> participantIds() {
    return EngineState.sortedValues(state.participants).stream().map(p -> p.id).toList();
  }

  /** The participant a registered key belongs to (a key id names one key, owned by one). */
  public Optional<String> keyOwner(String keyId) {
    return Optional.ofNullable(state.keyOwners.get(keyId));
  }

  public Optional<ParticipantView> participant(String id) {
    Participant participant = state.participants.get(id);
    if (participant == null) {
      return Optional.empty();
    }
    List<VerificationKey> current = new ArrayList<>();
    List<String> revoked = new ArrayList<>();
    for (Map.Entry<String, Participant.Key> key : participant.keys.entrySet()) {
      if (key.getValue().revoked) {
        revoked.add(key.getKey());
      } else {
        current.add(key.getValue().key);
      }
    }
    return Optional.of(
        new ParticipantView(
            participant.id,
            participant.name,
            participant.roles,
            participant.suspended,
            current,
            revoked));
  }

  /**
   * The content hash an id was applied with, while it is remembered: a front door answers a reuse
   * of the id with other content before it reaches the log.
   */
  public Optional<Hash> rememberedContent(String id) {
    Remembered earlier = state.remembered.get(id);
    return earlier == null ? Optional.empty() : Optional.of(earlier.contentHash());
  }

  /**
   * The first outcome of an id while it is remembered (until log time passes its {@code notAfter}):
   * what a replica restored from a snapshot can still tell about earlier instructions.
   */
  public Optional<Outcome> rememberedOutcome(String id) {
    Remembered earlier = state.remembered.get(id);
    return earlier == null
        ? Optional.empty()
        : Optional.of(new Outcome(earlier.offset(), id, earlier.code(), Outcome.NO_ORIGINAL));
  }

  /** Number of instruction ids currently remembered (bounded by the {@code notAfter} window). */
  public int rememberedIdCount() {
    return state.remembered.size();
  }
}
