package io.tally.engine;

import io.tally.engine.BlockResult.SequenceAnomaly;
import io.tally.engine.Command.Leg;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.ProducerSequences;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.jws.KeyResolver;
import io.tally.protocol.jws.VerifiedJws;
import io.tally.protocol.keys.VerificationKey;
import io.tally.protocol.merkle.MerkleTree;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The deterministic settlement state machine of one shard.
 *
 * <p>Thread safety: {@link #preVerify} may run on any number of threads at once, also while {@link
 * #apply} runs; everything else must be called from one thread at a time.
 *
 * <p>Rules, in the order they are checked for an instruction or governance change (the first broken
 * rule gives the code): the envelope opens and is signed by a genesis instance; the producer's
 * chain does not replay; the body parses and has an id; log time has not passed {@code notAfter},
 * which lies within the window; the id is new, or the resubmission is identical (then the original
 * outcome is repeated); every signature verifies, no key signs twice, no signing key is revoked
 * (governance: at least {@code g} administrators); then the id is remembered with its outcome,
 * stateless content rules (amounts, legs) and finally the kind's own rules apply.
 */
public final class Engine {

  /** Early-checked instructions remembered per generation ({@link EarlyChecks}). */
  private static final int EARLY_CHECKS_GENERATION = 32_768;

  private final Genesis genesis;
  private final Rules rules;
  private final int shard;
  private final Stream stream;
  private final Decoder decoder;

  // The chain.
  private long height;
  private Hash lastHeader = Hash.ZERO;
  private Hash stateDigest;
  private long logTime;
  private ProducerSequences sequences = new ProducerSequences();

  // The state. Hash maps are never iterated into any output: see sortedValues().
  private final HashMap<String, Participant> participants = new HashMap<>();
  private final HashMap<String, String> keyOwners = new HashMap<>();
  private final ConcurrentHashMap<String, VerificationKey> keyDirectory = new ConcurrentHashMap<>();
  private final EarlyChecks earlyChecks = new EarlyChecks(EARLY_CHECKS_GENERATION);
  private final HashMap<String, Asset> assets = new HashMap<>();
  private final HashMap<String, Account> accounts = new HashMap<>();
  private final ArrayList<Account> accountsBySeq = new ArrayList<>();
  private final HashMap<String, Reservation> reservations = new HashMap<>();
  private final TreeSet<Reservation> openByExpiry = new TreeSet<>(Reservation.BY_EXPIRY);
  private final TreeSet<Reservation> retainedByExpiry = new TreeSet<>(Reservation.BY_EXPIRY);
  private final HashMap<String, Remembered> remembered = new HashMap<>();
  private final TreeMap<Long, ArrayList<String>> rememberedByBucket = new TreeMap<>();

  // Changes of the block being applied, for the state digest.
  private final ArrayList<Participant> dirtyParticipants = new ArrayList<>();
  private final ArrayList<Asset> newAssets = new ArrayList<>();
  private final BitSet dirtyAccounts = new BitSet();
  private final ArrayList<Reservation> dirtyReservations = new ArrayList<>();
  private final TreeSet<String> removedReservations = new TreeSet<>();

  private final LegScratch scratch;
  private final ChangeBuffer changes = new ChangeBuffer();
  private int accountsAtBlockStart;
  private @Nullable OpenBlock open;

  /** An engine at the start of the chain of {@code genesis}, shard {@code shard}. */
  public Engine(Genesis genesis, Rules rules, int shard) {
    this.genesis = genesis;
    this.rules = rules;
    this.shard = shard;
    this.stream = Stream.log(shard);
    this.decoder = new Decoder(rules);
    this.stateDigest = genesis.hash();
    this.scratch = new LegScratch(rules.legsMax());
  }

  // ---------------------------------------------------------------- pre-verification (parallel)

  /**
   * Opens, decodes and checks the signatures of one record. Pure apart from reading the key
   * directory, which only grows and binds each key id to one key forever (the id is the key's
   * thumbprint), so the result is the same whenever it runs.
   */
  public PreVerified preVerify(LogRecord record) {
    byte[] value = record.valueUnsafe();
    Hash entryHash = MerkleTree.leafHash(value);
    long offset = record.offset();
    long time = record.logTime();
    Envelope envelope;
    try {
      // Refuses records of another stream, of a type the log does not carry or the producer's role
      // does not permit, before they come near any producer's chain.
      envelope = Envelope.parse(value, genesis, stream);
      if (envelope.type() == EnvelopeType.CUT) {
        envelope.verifySeal(genesis.instances()); // a cut ends its segment: nothing vouches for it
      }
    } catch (VerificationException e) {
      return PreVerified.refused(offset, time, entryHash, sealCode(e.reason()));
    }
    byte[] body = envelope.body();
    return switch (envelope.type()) {
      case CUT -> {
        Command.Cut cut = cut(body);
        yield new PreVerified(
            offset,
            time,
            entryHash,
            envelope,
            PreVerified.Kind.CUT,
            null,
            0,
            null,
            cut,
            Code.ACCEPTED,
            cut == null ? Code.MALFORMED : Code.ACCEPTED,
            List.of(),
            null,
            false);
      }
      case INSTRUCTION, GOVERNANCE -> {
        yield preVerifySigned(offset, time, entryHash, envelope, body);
      }
      case VOTE, FINALIZED ->
          throw new AssertionError("Envelope.parse admitted a " + envelope.type() + " on the log");
    };
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
    return preVerifySigned(0, 0, MerkleTree.leafHash(instruction), null, false, instruction);
  }

  private PreVerified preVerifySigned(
      long offset, long time, Hash entryHash, Envelope envelope, byte[] body) {
    return preVerifySigned(
        offset, time, entryHash, envelope, envelope.type() == EnvelopeType.GOVERNANCE, body);
  }

  private PreVerified preVerifySigned(
      long offset,
      long time,
      Hash entryHash,
      @Nullable Envelope envelope,
      boolean governance,
      byte[] body) {
    PreVerified.Kind kind = governance ? PreVerified.Kind.GOVERNANCE : PreVerified.Kind.INSTRUCTION;
    GeneralJws jws;
    try {
      jws = GeneralJws.parse(body);
    } catch (VerificationException e) {
      Code code = e.reason() == Reason.UNPROTECTED_HEADER ? Code.MALFORMED : code(e.reason());
      return new PreVerified(
          offset, time, entryHash, envelope, kind, null, 0, null, null, code, code, List.of(), null,
          true);
    }
    byte[] payload = jws.unverifiedPayload();
    Decoder.Decoded decoded = decoder.decode(payload, governance);
    Code signatureCode = Code.ACCEPTED;
    List<String> signers = List.of();
    GeneralJws deferred = null;
    List<VerificationKey> introduced = GovernanceProposal.introducedKeys(decoded.command());
    try {
      if (governance) {
        VerifiedJws verified =
            jws.verify(JwsType.GOVERNANCE, withIntroduced(genesis.governance(), introduced));
        int administrators = 0;
        for (VerificationKey key : verified.signers()) {
          administrators += genesis.governance().memberByKeyId(key.keyId()).isPresent() ? 1 : 0;
        }
        if (administrators < genesis.governance().threshold()) {
          signatureCode = Code.GOVERNANCE_QUORUM_NOT_MET;
        } else if (!possessionProven(introduced, keyIds(verified))) {
          signatureCode = Code.KEY_POSSESSION_UNPROVEN;
        }
      } else {
        signers = instructionSigners(jws, body, envelope == null, introduced);
      }
    } catch (VerificationException e) {
      if (!governance && e.reason() == Reason.SIGNER_UNKNOWN) {
        deferred = jws; // the key may be registered earlier in the log than this record
      } else {
        signatureCode = code(e.reason());
      }
    }
    return new PreVerified(
        offset,
        time,
        entryHash,
        envelope,
        kind,
        decoded.id(),
        decoded.notAfter(),
        Sha256.of(payload),
        decoded.command(),
        signatureCode,
        decoded.code(),
        signers,
        deferred,
        true);
  }

  /**
   * The key ids whose signatures on an instruction verify. An early check (no envelope) remembers
   * them; a record from the log with the same bytes reuses them ({@link EarlyChecks}).
   */
  private List<String> instructionSigners(
      GeneralJws jws, byte[] body, boolean early, List<VerificationKey> introduced)
      throws VerificationException {
    if (!early && earlyChecks.isEmpty()) {
      return keyIds(jws.verify(JwsType.INSTRUCTION, withIntroduced(directory(), introduced)));
    }
    Hash bytes = Sha256.of(body);
    @Nullable List<String> known = early ? null : earlyChecks.signers(bytes);
    if (known != null) {
      return known;
    }
    List<String> signers =
        keyIds(jws.verify(JwsType.INSTRUCTION, withIntroduced(directory(), introduced)));
    if (early) {
      earlyChecks.add(bytes, signers);
    }
    return signers;
  }

  private static Code sealCode(Reason reason) {
    return switch (reason) {
      case SIGNER_UNKNOWN -> Code.PRODUCER_UNKNOWN;
      case SIGNATURE_INVALID -> Code.SIGNATURE_INVALID;
      case STREAM_MISMATCH -> Code.STREAM_MISMATCH;
      case TYPE_UNEXPECTED -> Code.TYPE_UNEXPECTED;
      case ROLE_FORBIDS_TYPE -> Code.ROLE_FORBIDS_TYPE;
      default -> Code.MALFORMED;
    };
  }

  private static Code code(Reason reason) {
    return switch (reason) {
      case SIGNER_UNKNOWN -> Code.SIGNER_UNKNOWN;
      case SIGNATURE_INVALID -> Code.SIGNATURE_INVALID;
      case SIGNER_DUPLICATE -> Code.SIGNER_DUPLICATE;
      default -> Code.MALFORMED;
    };
  }

  private static Command.@Nullable Cut cut(byte[] body) {
    try {
      JsonObject json = JsonReader.parseObject(body, 1).requireOnly(Set.of("height"));
      long height = json.integer("height");
      return height < 1 ? null : new Command.Cut(height);
    } catch (JsonException e) {
      return null;
    }
  }

  private KeyResolver directory() {
    return kid -> Optional.ofNullable(keyDirectory.get(kid));
  }

  /** {@code known}, and the keys the entry introduces, which can only have signed it for proof. */
  private static KeyResolver withIntroduced(KeyResolver known, List<VerificationKey> introduced) {
    if (introduced.isEmpty()) {
      return known;
    }
    return kid -> {
      Optional<VerificationKey> key = known.find(kid);
      if (key.isPresent()) {
        return key;
      }
      for (VerificationKey candidate : introduced) {
        if (candidate.keyId().equals(kid)) {
          return Optional.of(candidate);
        }
      }
      return Optional.empty();
    };
  }

  private static boolean possessionProven(List<VerificationKey> introduced, List<String> signers) {
    for (VerificationKey key : introduced) {
      if (!signers.contains(key.keyId())) {
        return false;
      }
    }
    return true;
  }

  private static List<String> keyIds(VerifiedJws verified) {
    List<String> ids = new ArrayList<>(verified.signers().size());
    for (VerificationKey key : verified.signers()) {
      ids.add(key.keyId());
    }
    return ids;
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
    if (entries.isEmpty() || entries.size() > rules.blockEntriesMax()) {
      throw new IllegalArgumentException(
          "a block has 1 to " + rules.blockEntriesMax() + " records, got " + entries.size());
    }
    if (open != null) {
      throw new IllegalArgumentException("a block opened by offer() is unfinished");
    }
    OpenBlock block = openBlock(entries.size());
    for (PreVerified entry : entries) {
      block.segment.add(entry);
      if (entry.kind == PreVerified.Kind.CUT) {
        applySegment(block);
      }
    }
    if (!block.segment.isEmpty()) {
      applySegment(block);
    }
    return closeBlock();
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
    OpenBlock block = open != null ? open : openBlock(16);
    block.segment.add(entry);
    boolean cutMarker = entry.kind == PreVerified.Kind.CUT;
    if (!cutMarker && block.outcomes.size() + block.segment.size() < rules.blockEntriesMax()) {
      return Optional.empty();
    }
    Outcome last = applySegment(block);
    if ((cutMarker && last.code().accepted()) || block.outcomes.size() >= rules.blockEntriesMax()) {
      return Optional.of(closeBlock());
    }
    return Optional.empty();
  }

  /** Records offered to the block that {@link #offer} has open (0 when none is). */
  public int openBlockSize() {
    return open == null ? 0 : open.outcomes.size() + open.segment.size();
  }

  /**
   * Records of the open block, other than cut markers, already applied to the state (0 when none is
   * open): those before a cut marker that did not close it. While it is 0, the state is exactly
   * that after block {@link #height} (an ignored cut marker changes nothing but the block's
   * outcomes; validators cut no block that holds only cut markers).
   */
  public int openBlockApplied() {
    return open == null ? 0 : open.appliedOtherThanCuts;
  }

  /** Admits the seals of the block's pending segment, applies its records; the last outcome. */
  private Outcome applySegment(OpenBlock block) {
    List<PreVerified> segment = block.segment;
    admitSeals(segment);
    @Nullable Outcome last = null;
    for (PreVerified entry : segment) {
      last = applyEntry(block, entry);
      if (entry.kind != PreVerified.Kind.CUT) {
        block.appliedOtherThanCuts++;
      }
    }
    segment.clear();
    if (last == null) {
      throw new IllegalStateException("an empty segment");
    }
    return last;
  }

  /**
   * The network's rule for envelope seals (ADR 0011): a record is authentic when its signature
   * verifies, or when a later authentic record of the same segment names its exact bytes as {@code
   * prev} with the same producer, epoch and the next sequence number (its producer signed their
   * hash). Walking the segment backwards, each producer's last record is checked and vouches for
   * the chain before it, so an honest producer costs one verification per segment instead of one
   * per record. A record that is neither is refused as {@link Code#SIGNATURE_INVALID}, as a direct
   * check would refuse it.
   */
  private void admitSeals(List<PreVerified> segment) {
    Set<Link> vouched = new HashSet<>();
    for (int i = segment.size() - 1; i >= 0; i--) {
      PreVerified entry = segment.get(i);
      Envelope envelope = entry.envelope;
      if (envelope == null) {
        continue;
      }
      if (entry.sealPending
          && !vouched.contains(
              new Link(envelope.producer(), envelope.epoch(), envelope.seq(), envelope.hash()))) {
        try {
          envelope.verifySeal(genesis.instances());
        } catch (VerificationException e) {
          segment.set(
              i,
              PreVerified.refused(
                  entry.offset, entry.logTime, entry.entryHash, sealCode(e.reason())));
          continue;
        }
      }
      if (envelope.seq() > 0) {
        vouched.add(
            new Link(envelope.producer(), envelope.epoch(), envelope.seq() - 1, envelope.prev()));
      }
    }
  }

  /** One producer's record as the next record of its chain names it. */
  private record Link(String producer, long epoch, long seq, Hash hash) {}

  /** The block being applied. */
  private static final class OpenBlock {
    final long height;
    long firstOffset;
    long lastOffset;
    boolean cutSeen;
    final List<Outcome> outcomes;
    final List<Hash> entryLeaves;
    final List<PreVerified> segment = new ArrayList<>();
    final List<SequenceAnomaly> anomalies = new ArrayList<>();
    final List<Posting> postings = new ArrayList<>();
    final List<AccountView> changedAccounts = new ArrayList<>();
    long currentOffset;
    @Nullable String currentId;
    int appliedOtherThanCuts;

    OpenBlock(long height, int expectedSize) {
      this.height = height;
      this.outcomes = new ArrayList<>(expectedSize);
      this.entryLeaves = new ArrayList<>(expectedSize);
    }
  }

  private OpenBlock openBlock(int expectedSize) {
    accountsAtBlockStart = accountsBySeq.size();
    OpenBlock block = new OpenBlock(height + 1, expectedSize);
    open = block;
    return block;
  }

  private Outcome applyEntry(OpenBlock block, PreVerified entry) {
    long now = Math.max(logTime, entry.logTime);
    logTime = now;
    block.currentOffset = entry.offset;
    block.currentId = null;
    expireReservations(now);
    forgetIds(now);
    Outcome outcome;
    if (entry.envelope != null && !continuesChain(entry, block.anomalies)) {
      outcome = outcome(entry, null, Code.RECORD_REPLAYED);
    } else if (entry.kind == PreVerified.Kind.CUT && entry.command instanceof Command.Cut cut) {
      boolean cuts = cut.height() == block.height && !block.cutSeen;
      block.cutSeen |= cuts;
      outcome = outcome(entry, null, cuts ? Code.ACCEPTED : Code.CUT_IGNORED);
    } else {
      outcome = applySigned(entry, now);
    }
    if (block.outcomes.isEmpty()) {
      block.firstOffset = entry.offset;
    }
    block.lastOffset = entry.offset;
    block.entryLeaves.add(entry.entryHash);
    block.outcomes.add(outcome);
    return outcome;
  }

  private boolean continuesChain(PreVerified entry, List<SequenceAnomaly> anomalies) {
    Envelope envelope = entry.envelope;
    if (envelope == null) {
      return true;
    }
    ProducerSequences.Check check = sequences.check(envelope);
    switch (check) {
      case DUPLICATE, STALE_EPOCH -> {
        return false;
      }
      case GAP, FORK ->
          anomalies.add(new SequenceAnomaly(entry.offset, envelope.producer(), check));
      case NEXT -> {}
    }
    return true;
  }

  private Outcome applySigned(PreVerified entry, long now) {
    String id = entry.id;
    Hash contentHash = entry.contentHash;
    if (entry.kind == PreVerified.Kind.NONE
        || entry.kind == PreVerified.Kind.CUT
        || id == null
        || contentHash == null) {
      return outcome(
          entry, id, entry.signatureCode.accepted() ? entry.contentCode : entry.signatureCode);
    }
    long window =
        entry.kind == PreVerified.Kind.GOVERNANCE
            ? rules.governanceWindowMs()
            : rules.instructionWindowMs();
    if (entry.notAfter < now) {
      return outcome(entry, id, Code.EXPIRED);
    }
    if (entry.notAfter - now > window) {
      return outcome(entry, id, Code.NOT_AFTER_TOO_FAR);
    }
    Remembered earlier = remembered.get(id);
    if (earlier != null) {
      if (earlier.contentHash().equals(contentHash)) {
        return new Outcome(entry.offset, id, earlier.code(), earlier.offset());
      }
      return outcome(entry, id, Code.DUPLICATE_CONFLICT);
    }
    requireOpen().currentId = id;
    List<String> signerParticipants = new ArrayList<>(2);
    Code code = checkSigners(entry, signerParticipants);
    if (!code.accepted()) {
      return outcome(entry, id, code); // not authentic: the id stays free for its owner
    }
    code = entry.contentCode;
    Command command = entry.command;
    if (code.accepted() && command != null) {
      String keysOf = keyChangeParticipant(command);
      boolean ownChange = entry.kind == PreVerified.Kind.INSTRUCTION && keysOf != null;
      code =
          ownChange && !signerParticipants.contains(keysOf)
              ? Code.OWNER_SIGNATURE_MISSING
              : run(id, command, signerParticipants, now);
    }
    remember(new Remembered(id, contentHash, code, entry.offset, entry.notAfter));
    return outcome(entry, id, code);
  }

  /** Signature rules that depend on state; fills the signing participants of an instruction. */
  private Code checkSigners(PreVerified entry, List<String> signerParticipants) {
    if (!entry.signatureCode.accepted()) {
      return entry.signatureCode;
    }
    if (entry.kind == PreVerified.Kind.GOVERNANCE) {
      return Code.ACCEPTED;
    }
    List<String> keyIds = entry.signerKeyIds;
    GeneralJws deferred = entry.deferred;
    List<VerificationKey> introduced = GovernanceProposal.introducedKeys(entry.command);
    if (deferred != null) {
      try {
        keyIds =
            keyIds(deferred.verify(JwsType.INSTRUCTION, withIntroduced(directory(), introduced)));
      } catch (VerificationException e) {
        return code(e.reason());
      }
    }
    if (!possessionProven(introduced, keyIds)) {
      return Code.KEY_POSSESSION_UNPROVEN;
    }
    for (String keyId : keyIds) {
      String owner = keyOwners.get(keyId);
      if (owner == null && introduced.stream().anyMatch(k -> k.keyId().equals(keyId))) {
        continue; // a new key's proof of possession: it speaks for nobody yet
      }
      Participant participant = owner == null ? null : participants.get(owner);
      Participant.Key key = participant == null ? null : participant.keys.get(keyId);
      if (participant == null || key == null) {
        throw new AssertionError("key " + keyId + " is in the directory without an owner");
      }
      if (key.revoked) {
        return Code.KEY_REVOKED;
      }
      if (!signerParticipants.contains(participant.id)) {
        signerParticipants.add(participant.id);
      }
    }
    return Code.ACCEPTED;
  }

  /**
   * The participant whose keys a key change concerns (signed as an instruction, it must carry a
   * signature by a current key of that participant), or null for any other command.
   */
  private static @Nullable String keyChangeParticipant(Command command) {
    if (command instanceof Command.AddKey add) {
      return add.participant();
    } else if (command instanceof Command.RotateKey rotate) {
      return rotate.participant();
    } else if (command instanceof Command.RevokeKey revoke) {
      return revoke.participant();
    }
    return null;
  }

  private static Outcome outcome(PreVerified entry, @Nullable String id, Code code) {
    return new Outcome(entry.offset, id, code, Outcome.NO_ORIGINAL);
  }

  private Code run(String id, Command command, List<String> signers, long now) {
    // Java 17 has no pattern switch; the chain lists every Command, the last line guards it.
    if (command instanceof Command.Settle settle) {
      return settle(settle.legs(), signers);
    } else if (command instanceof Command.OpenAccount open) {
      return openAccount(open, signers);
    } else if (command instanceof Command.Reserve reserve) {
      return reserve(id, reserve, signers, now);
    } else if (command instanceof Command.Commit commit) {
      return closeReservation(commit.reservation(), signers, true);
    } else if (command instanceof Command.Cancel cancel) {
      return closeReservation(cancel.reservation(), signers, false);
    } else if (command instanceof Command.RegisterParticipant register) {
      return registerParticipant(register);
    } else if (command instanceof Command.AddKey add) {
      return addKey(add.participant(), add.key(), null);
    } else if (command instanceof Command.RevokeKey revoke) {
      return revokeKey(revoke.participant(), revoke.keyId());
    } else if (command instanceof Command.RotateKey rotate) {
      return addKey(rotate.participant(), rotate.key(), rotate.revokeKeyId());
    } else if (command instanceof Command.SuspendParticipant suspend) {
      return setSuspended(suspend.participant(), true);
    } else if (command instanceof Command.ReinstateParticipant reinstate) {
      return setSuspended(reinstate.participant(), false);
    } else if (command instanceof Command.RegisterAsset asset) {
      return registerAsset(asset);
    }
    throw new AssertionError("no rule applies " + command);
  }

  // ---------------------------------------------------------------- participant instructions

  private Code openAccount(Command.OpenAccount open, List<String> signers) {
    Participant owner = participants.get(open.owner());
    if (owner == null) {
      return Code.PARTICIPANT_UNKNOWN;
    }
    if (!signers.contains(owner.id)) {
      return Code.OWNER_SIGNATURE_MISSING;
    }
    if (owner.suspended) {
      return Code.PARTICIPANT_SUSPENDED;
    }
    Asset asset = assets.get(open.asset());
    if (asset == null) {
      return Code.ASSET_UNKNOWN;
    }
    if (open.issuance() && !asset.issuer().equals(owner.id)) {
      return Code.NOT_ISSUER;
    }
    if (accounts.containsKey(open.account())) {
      return Code.ACCOUNT_EXISTS;
    }
    int flags =
        (open.issuance() ? Account.FLAG_ISSUANCE : 0)
            | (open.overdraft() ? Account.FLAG_OVERDRAFT : 0);
    Account account =
        new Account(open.account(), owner.id, asset.code(), flags, accountsBySeq.size());
    accounts.put(account.id, account);
    accountsBySeq.add(account);
    markDirty(account);
    return Code.ACCEPTED;
  }

  private Code settle(List<Leg> legs, List<String> signers) {
    Code code = resolveLegs(legs, signers);
    if (!code.accepted()) {
      return code;
    }
    code = scratch.move(legs, LegScratch.Move.POST);
    if (code.accepted()) {
      scratch.writeBack(this::markDirty);
      journal(Posting.Movement.SETTLED, null, legs);
    }
    return code;
  }

  private Code reserve(String id, Command.Reserve reserve, List<String> signers, long now) {
    Code code = resolveLegs(reserve.legs(), signers);
    if (!code.accepted()) {
      return code;
    }
    if (reserve.expiresAt() <= now || reserve.expiresAt() - now > rules.reservationTtlMaxMs()) {
      return Code.EXPIRY_INVALID;
    }
    for (String controller : reserve.controllers()) {
      if (!participants.containsKey(controller)) {
        return Code.PARTICIPANT_UNKNOWN;
      }
    }
    if (reservations.containsKey(id)) {
      return Code.DUPLICATE_CONFLICT; // the reserve id outlived its remembered instruction id
    }
    code = scratch.move(reserve.legs(), LegScratch.Move.HOLD);
    if (!code.accepted()) {
      return code;
    }
    scratch.writeBack(this::markDirty);
    journal(Posting.Movement.RESERVED, id, reserve.legs());
    List<String> controllers = reserve.controllers();
    if (controllers.isEmpty()) {
      List<String> debtors = new ArrayList<>();
      for (Leg leg : reserve.legs()) {
        String owner = existingAccount(leg.debit()).owner;
        if (!debtors.contains(owner)) {
          debtors.add(owner);
        }
      }
      controllers = debtors;
    }
    Reservation reservation = new Reservation(id, reserve.legs(), controllers, reserve.expiresAt());
    reservations.put(id, reservation);
    openByExpiry.add(reservation);
    retainedByExpiry.add(reservation);
    markDirty(reservation);
    return Code.ACCEPTED;
  }

  private Code closeReservation(String id, List<String> signers, boolean commit) {
    Reservation reservation = reservations.get(id);
    if (reservation == null) {
      return Code.RESERVATION_UNKNOWN;
    }
    if (reservation.status != Reservation.Status.OPEN) {
      return Code.RESERVATION_CLOSED;
    }
    boolean authorized = false;
    for (String signer : signers) {
      authorized |= reservation.controllers.contains(signer);
    }
    if (!authorized) {
      return Code.NOT_AUTHORIZED;
    }
    if (commit) {
      for (Leg leg : reservation.legs) {
        if (existingParticipant(existingAccount(leg.debit()).owner).suspended
            || existingParticipant(existingAccount(leg.credit()).owner).suspended) {
          return Code.PARTICIPANT_SUSPENDED;
        }
      }
    }
    resolveExisting(reservation.legs);
    Code code =
        scratch.move(reservation.legs, commit ? LegScratch.Move.COMMIT : LegScratch.Move.RELEASE);
    if (!code.accepted()) {
      return code;
    }
    scratch.writeBack(this::markDirty);
    journal(commit ? Posting.Movement.COMMITTED : Posting.Movement.CANCELLED, id, reservation.legs);
    reservation.status = commit ? Reservation.Status.COMMITTED : Reservation.Status.CANCELLED;
    openByExpiry.remove(reservation);
    markDirty(reservation);
    return Code.ACCEPTED;
  }

  /**
   * Resolves the accounts of every leg into the scratch and checks the rules that need state but
   * not balances: accounts and assets exist and match, every debtor signed, nobody suspended.
   */
  private Code resolveLegs(List<Leg> legs, List<String> signers) {
    Code code = scratch.resolve(legs, accounts);
    if (!code.accepted()) {
      return code;
    }
    for (int i = 0; i < legs.size(); i++) {
      Leg leg = legs.get(i);
      Account debit = scratch.debit(i);
      Account credit = scratch.credit(i);
      if (!assets.containsKey(leg.asset())) {
        return Code.ASSET_UNKNOWN;
      }
      if (!debit.asset.equals(leg.asset()) || !credit.asset.equals(leg.asset())) {
        return Code.ASSET_MISMATCH;
      }
      if (!signers.contains(debit.owner)) {
        return Code.DEBTOR_SIGNATURE_MISSING;
      }
      if (existingParticipant(debit.owner).suspended
          || existingParticipant(credit.owner).suspended) {
        return Code.PARTICIPANT_SUSPENDED;
      }
    }
    return Code.ACCEPTED;
  }

  private void resolveExisting(List<Leg> legs) {
    if (!scratch.resolve(legs, accounts).accepted()) {
      throw new AssertionError("an account of a reservation vanished");
    }
  }

  private void expireReservations(long now) {
    while (!openByExpiry.isEmpty() && openByExpiry.first().expiresAt < now) {
      Reservation reservation = openByExpiry.pollFirst();
      resolveExisting(reservation.legs);
      Code code = scratch.move(reservation.legs, LegScratch.Move.RELEASE);
      if (!code.accepted()) {
        throw new AssertionError("releasing reservation " + reservation.id + " failed: " + code);
      }
      scratch.writeBack(this::markDirty);
      journal(Posting.Movement.EXPIRED, reservation.id, reservation.legs);
      reservation.status = Reservation.Status.EXPIRED;
      markDirty(reservation);
    }
    // Closed reservations are kept one instruction window past their expiry, so that a late
    // commit or cancel learns RESERVATION_CLOSED rather than RESERVATION_UNKNOWN.
    while (!retainedByExpiry.isEmpty()
        && retainedByExpiry.first().expiresAt < now - rules.instructionWindowMs()) {
      Reservation reservation = retainedByExpiry.pollFirst();
      if (reservation.status == Reservation.Status.OPEN) {
        throw new AssertionError("reservation " + reservation.id + " retained while open");
      }
      reservations.remove(reservation.id);
      removedReservations.add(reservation.id);
    }
  }

  /** Records the movements of legs just written back, for the block's postings. */
  private void journal(Posting.Movement movement, @Nullable String reservation, List<Leg> legs) {
    OpenBlock block = requireOpen();
    String id = movement == Posting.Movement.EXPIRED ? null : block.currentId;
    for (Leg leg : legs) {
      block.postings.add(
          new Posting(
              block.currentOffset,
              id,
              movement,
              reservation,
              leg.debit(),
              leg.credit(),
              leg.asset(),
              leg.amount()));
    }
  }

  private OpenBlock requireOpen() {
    OpenBlock block = open;
    if (block == null) {
      throw new AssertionError("no block is open");
    }
    return block;
  }

  private void remember(Remembered entry) {
    remembered.put(entry.id(), entry);
    rememberedByBucket.computeIfAbsent(entry.bucket(), bucket -> new ArrayList<>()).add(entry.id());
  }

  private void forgetIds(long now) {
    long current = now >> 10;
    while (!rememberedByBucket.isEmpty() && rememberedByBucket.firstKey() < current) {
      for (String id : rememberedByBucket.pollFirstEntry().getValue()) {
        remembered.remove(id);
      }
    }
  }

  // ---------------------------------------------------------------- governance

  private Code registerParticipant(Command.RegisterParticipant register) {
    if (participants.containsKey(register.participant())) {
      return Code.PARTICIPANT_EXISTS;
    }
    List<String> keyIds = new ArrayList<>();
    for (VerificationKey key : register.keys()) {
      if (keyOwners.containsKey(key.keyId()) || keyIds.contains(key.keyId())) {
        return Code.KEY_EXISTS;
      }
      keyIds.add(key.keyId());
    }
    Participant participant =
        new Participant(register.participant(), register.name(), register.roles());
    participants.put(participant.id, participant);
    for (VerificationKey key : register.keys()) {
      putKey(participant, key);
    }
    markDirty(participant);
    return Code.ACCEPTED;
  }

  private Code addKey(String participantId, VerificationKey key, @Nullable String revokeKeyId) {
    Participant participant = participants.get(participantId);
    if (participant == null) {
      return Code.PARTICIPANT_UNKNOWN;
    }
    if (revokeKeyId != null) {
      Code code = checkRevocable(participant, revokeKeyId);
      if (!code.accepted()) {
        return code;
      }
    }
    if (keyOwners.containsKey(key.keyId())) {
      return Code.KEY_EXISTS;
    }
    long current = participant.keys.values().stream().filter(k -> !k.revoked).count();
    if (revokeKeyId == null && current >= rules.keysMax()) {
      return Code.KEYS_TOO_MANY;
    }
    putKey(participant, key);
    if (revokeKeyId != null) {
      existingKey(participant, revokeKeyId).revoked = true;
    }
    markDirty(participant);
    return Code.ACCEPTED;
  }

  private Code revokeKey(String participantId, String keyId) {
    Participant participant = participants.get(participantId);
    if (participant == null) {
      return Code.PARTICIPANT_UNKNOWN;
    }
    Code code = checkRevocable(participant, keyId);
    if (code.accepted()) {
      existingKey(participant, keyId).revoked = true;
      markDirty(participant);
    }
    return code;
  }

  private static Code checkRevocable(Participant participant, String keyId) {
    Participant.Key key = participant.keys.get(keyId);
    if (key == null) {
      return Code.KEY_UNKNOWN;
    }
    return key.revoked ? Code.KEY_REVOKED : Code.ACCEPTED;
  }

  private void putKey(Participant participant, VerificationKey key) {
    participant.keys.put(key.keyId(), new Participant.Key(key, false));
    keyOwners.put(key.keyId(), participant.id);
    keyDirectory.put(key.keyId(), key);
  }

  private Code setSuspended(String participantId, boolean suspended) {
    Participant participant = participants.get(participantId);
    if (participant == null) {
      return Code.PARTICIPANT_UNKNOWN;
    }
    if (participant.suspended == suspended) {
      return Code.STATUS_UNCHANGED;
    }
    participant.suspended = suspended;
    markDirty(participant);
    return Code.ACCEPTED;
  }

  private Code registerAsset(Command.RegisterAsset register) {
    if (assets.containsKey(register.code())) {
      return Code.ASSET_EXISTS;
    }
    if (!participants.containsKey(register.issuer())) {
      return Code.PARTICIPANT_UNKNOWN;
    }
    Asset asset = new Asset(register.code(), register.scale(), register.issuer());
    assets.put(asset.code(), asset);
    newAssets.add(asset);
    return Code.ACCEPTED;
  }

  // Lookups of what an invariant says exists: accounts and participants are never deleted, and
  // every account's owner and every leg of a reservation were checked when they were created.

  private Account existingAccount(String id) {
    Account account = accounts.get(id);
    if (account == null) {
      throw new AssertionError("account " + id + " vanished");
    }
    return account;
  }

  private Participant existingParticipant(String id) {
    Participant participant = participants.get(id);
    if (participant == null) {
      throw new AssertionError("participant " + id + " vanished");
    }
    return participant;
  }

  private static Participant.Key existingKey(Participant participant, String keyId) {
    Participant.Key key = participant.keys.get(keyId);
    if (key == null) {
      throw new AssertionError("key " + keyId + " of " + participant.id + " vanished");
    }
    return key;
  }

  // ---------------------------------------------------------------- closing a block

  private void markDirty(Account account) {
    dirtyAccounts.set(account.seq);
  }

  private void markDirty(Participant participant) {
    if (!participant.dirty) {
      participant.dirty = true;
      dirtyParticipants.add(participant);
    }
  }

  private void markDirty(Reservation reservation) {
    if (!reservation.dirty) {
      reservation.dirty = true;
      dirtyReservations.add(reservation);
    }
  }

  private BlockResult closeBlock() {
    OpenBlock block = requireOpen();
    List<Hash> resultLeaves = new ArrayList<>(block.outcomes.size());
    for (Outcome outcome : block.outcomes) {
      resultLeaves.add(MerkleTree.leafHash(outcome.toBytes()));
    }
    stateDigest = chain(stateDigest, changesDigest(block.changedAccounts));
    BlockHeader header =
        new BlockHeader(
            genesis.hash(),
            shard,
            block.height,
            lastHeader,
            block.outcomes.size(),
            MerkleTree.root(block.entryLeaves),
            MerkleTree.root(resultLeaves),
            stateDigest,
            logTime,
            block.firstOffset,
            block.lastOffset);
    height = block.height;
    lastHeader = header.hash();
    open = null;
    return new BlockResult(
        header, block.outcomes, block.anomalies, block.postings, block.changedAccounts);
  }

  private static Hash chain(Hash previous, byte[] changes) {
    MessageDigest digest = Sha256.newDigest();
    previous.updateDigest(digest);
    digest.update(changes);
    return Hash.of(digest.digest());
  }

  /**
   * SHA-256 over the new state of everything the block changed, in a fixed order: participants
   * sorted by id, new assets sorted by code, accounts in opening order (all fields when opened in
   * this block, else their number and balances), reservations sorted by id, then the ids of
   * reservations no longer kept. Adds a view of every changed account to {@code changedAccounts}.
   */
  private byte[] changesDigest(List<AccountView> changedAccounts) {
    changes.reset();
    try (DataOutputStream out = new DataOutputStream(changes)) {
      dirtyParticipants.sort(Comparator.comparing(p -> p.id));
      out.writeByte('P');
      out.writeInt(dirtyParticipants.size());
      for (Participant participant : dirtyParticipants) {
        participant.write(out);
        participant.dirty = false;
      }
      newAssets.sort(Comparator.comparing(Asset::code));
      out.writeByte('S');
      out.writeInt(newAssets.size());
      for (Asset asset : newAssets) {
        asset.write(out);
      }
      out.writeByte('A');
      out.writeInt(dirtyAccounts.cardinality());
      for (int seq = dirtyAccounts.nextSetBit(0);
          seq >= 0;
          seq = dirtyAccounts.nextSetBit(seq + 1)) {
        Account account = accountsBySeq.get(seq);
        changedAccounts.add(account.view());
        if (seq >= accountsAtBlockStart) {
          account.write(out); // opened in this block: everything about it is new
        } else {
          account.writeBalances(out);
        }
      }
      dirtyReservations.sort(Comparator.comparing(r -> r.id));
      out.writeByte('R');
      out.writeInt(dirtyReservations.size());
      for (Reservation reservation : dirtyReservations) {
        reservation.write(out);
        reservation.dirty = false;
      }
      out.writeByte('X');
      out.writeInt(removedReservations.size());
      for (String id : removedReservations) {
        out.writeUTF(id);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    dirtyParticipants.clear();
    newAssets.clear();
    dirtyAccounts.clear();
    dirtyReservations.clear();
    removedReservations.clear();
    MessageDigest digest = Sha256.newDigest();
    changes.writeTo(digest);
    return digest.digest();
  }

  /** A growable byte buffer whose content can be fed to a digest without copying. */
  private static final class ChangeBuffer extends ByteArrayOutputStream {
    ChangeBuffer() {
      super(1 << 16);
    }

    void writeTo(MessageDigest digest) {
      digest.update(buf, 0, count);
    }

    @Override
    public void close() {
      // Stays open: reused for every block.
    }
  }

  // ---------------------------------------------------------------- snapshots and queries

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
    if (open != null) {
      throw new IllegalStateException("snapshots are taken between blocks");
    }
    return Snapshots.prepare(this);
  }

  /**
   * Restores an engine from {@link #snapshot()} bytes.
   *
   * @throws IllegalArgumentException if the bytes are not an intact snapshot of this network
   */
  public static Engine restore(Genesis genesis, Rules rules, byte[] snapshot) {
    return Snapshots.read(genesis, rules, snapshot);
  }

  /** Blocks applied so far; the next block has this height plus one. */
  public long height() {
    return height;
  }

  /** Hash of the last block header ({@link Hash#ZERO} before the first block). */
  public Hash lastHeaderHash() {
    return lastHeader;
  }

  /** The chained state digest after the last block (the genesis hash before the first). */
  public Hash stateDigest() {
    return stateDigest;
  }

  /** The engine's log time: the largest record log time applied so far. */
  public long logTime() {
    return logTime;
  }

  public Optional<AccountView> account(String id) {
    Account account = accounts.get(id);
    return account == null ? Optional.empty() : Optional.of(account.view());
  }

  /** All accounts, sorted by id. */
  public List<AccountView> accounts() {
    return sortedValues(accounts).stream().map(Account::view).toList();
  }

  /** All registered assets, sorted by code. */
  public List<Asset> assets() {
    return sortedValues(assets);
  }

  /** The ids of all participants, sorted. */
  public List<String> participantIds() {
    return sortedValues(participants).stream().map(p -> p.id).toList();
  }

  /** The participant a registered key belongs to (a key id names one key, owned by one). */
  public Optional<String> keyOwner(String keyId) {
    return Optional.ofNullable(keyOwners.get(keyId));
  }

  public Optional<ParticipantView> participant(String id) {
    Participant participant = participants.get(id);
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
    Remembered earlier = remembered.get(id);
    return earlier == null ? Optional.empty() : Optional.of(earlier.contentHash());
  }

  /**
   * The first outcome of an id while it is remembered (until log time passes its {@code notAfter}):
   * what a replica restored from a snapshot can still tell about earlier instructions.
   */
  public Optional<Outcome> rememberedOutcome(String id) {
    Remembered earlier = remembered.get(id);
    return earlier == null
        ? Optional.empty()
        : Optional.of(new Outcome(earlier.offset(), id, earlier.code(), Outcome.NO_ORIGINAL));
  }

  /** Number of instruction ids currently remembered (bounded by the {@code notAfter} window). */
  public int rememberedIdCount() {
    return remembered.size();
  }

  /** The values of {@code map} sorted by key: the only way state maps are enumerated. */
  static <V> List<V> sortedValues(Map<String, V> map) {
    List<String> keys = new ArrayList<>(map.keySet());
    keys.sort(null);
    List<V> values = new ArrayList<>(keys.size());
    for (String key : keys) {
      values.add(map.get(key));
    }
    return values;
  }

  // Accessors for Snapshots (same package).

  Genesis genesis() {
    return genesis;
  }

  int shard() {
    return shard;
  }

  ProducerSequences sequences() {
    return sequences;
  }

  Map<String, Participant> participantMap() {
    return participants;
  }

  Map<String, Asset> assetMap() {
    return assets;
  }

  /** Accounts in opening order. */
  List<Account> accountsInOrder() {
    return accountsBySeq;
  }

  Map<String, Reservation> reservationMap() {
    return reservations;
  }

  Map<String, Remembered> rememberedMap() {
    return remembered;
  }

  void restoreChain(
      long height, Hash lastHeader, Hash stateDigest, long logTime, ProducerSequences sequences) {
    this.height = height;
    this.lastHeader = lastHeader;
    this.stateDigest = stateDigest;
    this.logTime = logTime;
    this.sequences = sequences;
  }

  void restoreParticipant(Participant participant) {
    participants.put(participant.id, participant);
    for (Map.Entry<String, Participant.Key> key : participant.keys.entrySet()) {
      keyOwners.put(key.getKey(), participant.id);
      keyDirectory.put(key.getKey(), key.getValue().key);
    }
  }

  void restoreAsset(Asset asset) {
    assets.put(asset.code(), asset);
  }

  void restoreAccount(Account account) {
    if (account.seq != accountsBySeq.size()) {
      throw new AssertionError("accounts are restored in opening order");
    }
    accounts.put(account.id, account);
    accountsBySeq.add(account);
  }

  void restoreReservation(Reservation reservation) {
    reservations.put(reservation.id, reservation);
    retainedByExpiry.add(reservation);
    if (reservation.status == Reservation.Status.OPEN) {
      openByExpiry.add(reservation);
    }
  }

  void restoreRemembered(Remembered entry) {
    remember(entry);
  }
}
