package io.tally.engine;

import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.jws.KeyResolver;
import io.tally.protocol.jws.VerifiedJws;
import io.tally.protocol.keys.VerificationKey;
import io.tally.protocol.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The pure stage ({@link Engine#preVerify}): opens a record's envelope for this shard's log,
 * decodes its body and checks every signature against the key its {@code kid} names, and says which
 * {@link PreVerified} kind the record is. Safe on any number of threads, also while the apply step
 * runs: it reads the genesis, which never changes, and the key directory, which only grows and
 * binds each key id to one key forever (the id is the key's thumbprint), so the result is the same
 * whenever it runs.
 */
final class PreVerifier {

  /** Early-checked instructions remembered per generation ({@link EarlyChecks}). */
  private static final int EARLY_CHECKS_GENERATION = 32_768;

  private final Genesis genesis;
  private final Stream stream;
  private final Decoder decoder;
  private final EarlyChecks earlyChecks = new EarlyChecks(EARLY_CHECKS_GENERATION);
  private final KeyResolver directory;

  /**
   * @param keyDirectory every key registered so far by id, filled by the apply step
   */
  PreVerifier(Genesis genesis, Rules rules, int shard, Map<String, VerificationKey> keyDirectory) {
    this.genesis = genesis;
    this.stream = Stream.log(shard);
    this.decoder = new Decoder(rules);
    this.directory = kid -> Optional.ofNullable(keyDirectory.get(kid));
  }

  /** The keys registered so far, by key id. */
  KeyResolver directory() {
    return directory;
  }

  PreVerified preVerify(LogRecord record) {
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
      return new PreVerified.Refused(offset, time, entryHash, sealCode(e.reason()));
    }
    return switch (envelope.type()) {
      case CUT ->
          new PreVerified.Cut(offset, time, entryHash, envelope, cutHeight(envelope.body()));
      case INSTRUCTION -> signed(offset, time, entryHash, envelope, false, envelope.body());
      case GOVERNANCE -> signed(offset, time, entryHash, envelope, true, envelope.body());
      case VOTE, FINALIZED ->
          throw new AssertionError("Envelope.parse admitted a " + envelope.type() + " on the log");
    };
  }

  /** See {@link Engine#preVerifyInstruction}. */
  PreVerified preVerifyInstruction(byte[] instruction) {
    return signed(0, 0, MerkleTree.leafHash(instruction), null, false, instruction);
  }

  /**
   * An instruction or governance change: {@link PreVerified.Anonymous} when its id cannot be read,
   * else {@link PreVerified.Signed}.
   */
  private PreVerified signed(
      long offset,
      long time,
      Hash entryHash,
      @Nullable Envelope envelope,
      boolean governance,
      byte[] body) {
    GeneralJws jws;
    try {
      jws = GeneralJws.parse(body);
    } catch (VerificationException e) {
      Code code = e.reason() == Reason.UNPROTECTED_HEADER ? Code.MALFORMED : code(e.reason());
      return new PreVerified.Anonymous(
          offset, time, entryHash, envelope, governance, null, List.of(), code, false, code);
    }
    byte[] payload = jws.unverifiedPayload();
    Decoder.Decoded decoded = decoder.decode(payload, governance);
    Code signatureCode = Code.ACCEPTED;
    List<String> signers = List.of();
    GeneralJws deferred = null;
    List<VerificationKey> introduced = GovernanceProposal.introducedKeys(decoded.command());
    try {
      if (governance) {
        signatureCode = governanceSignatures(jws, introduced);
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
    String id = decoded.id();
    if (id == null) {
      return new PreVerified.Anonymous(
          offset,
          time,
          entryHash,
          envelope,
          governance,
          Sha256.of(payload),
          signers,
          signatureCode,
          deferred != null,
          decoded.code());
    }
    return new PreVerified.Signed(
        offset,
        time,
        entryHash,
        envelope,
        governance,
        id,
        decoded.notAfter(),
        Sha256.of(payload),
        decoded.command(),
        signatureCode,
        decoded.code(),
        signers,
        deferred);
  }

  /** Governance needs {@code g} administrators of the genesis and every introduced key. */
  private Code governanceSignatures(GeneralJws jws, List<VerificationKey> introduced)
      throws VerificationException {
    VerifiedJws verified =
        jws.verify(JwsType.GOVERNANCE, withIntroduced(genesis.governance(), introduced));
    int administrators = 0;
    for (VerificationKey key : verified.signers()) {
      administrators += genesis.governance().memberByKeyId(key.keyId()).isPresent() ? 1 : 0;
    }
    if (administrators < genesis.governance().threshold()) {
      return Code.GOVERNANCE_QUORUM_NOT_MET;
    }
    if (!possessionProven(introduced, keyIds(verified))) {
      return Code.KEY_POSSESSION_UNPROVEN;
    }
    return Code.ACCEPTED;
  }

  /**
   * The key ids whose signatures on an instruction verify. An early check (no envelope) remembers
   * them; a record from the log with the same bytes reuses them ({@link EarlyChecks}).
   */
  private List<String> instructionSigners(
      GeneralJws jws, byte[] body, boolean early, List<VerificationKey> introduced)
      throws VerificationException {
    if (!early && earlyChecks.isEmpty()) {
      return keyIds(jws.verify(JwsType.INSTRUCTION, withIntroduced(directory, introduced)));
    }
    Hash bytes = Sha256.of(body);
    @Nullable List<String> known = early ? null : earlyChecks.signers(bytes);
    if (known != null) {
      return known;
    }
    List<String> signers =
        keyIds(jws.verify(JwsType.INSTRUCTION, withIntroduced(directory, introduced)));
    if (early) {
      earlyChecks.add(bytes, signers);
    }
    return signers;
  }

  /**
   * The height a cut marker's body {@code {"height":N}} names, or {@link
   * PreVerified.Cut#UNREADABLE}.
   */
  private static long cutHeight(byte[] body) {
    try {
      JsonObject json = JsonReader.parseObject(body, 1).requireOnly(Set.of("height"));
      long height = json.integer("height");
      return height < 1 ? PreVerified.Cut.UNREADABLE : height;
    } catch (JsonException e) {
      return PreVerified.Cut.UNREADABLE;
    }
  }

  /** The code of a refused envelope seal. */
  static Code sealCode(Reason reason) {
    return switch (reason) {
      case SIGNER_UNKNOWN -> Code.PRODUCER_UNKNOWN;
      case SIGNATURE_INVALID -> Code.SIGNATURE_INVALID;
      case STREAM_MISMATCH -> Code.STREAM_MISMATCH;
      case TYPE_UNEXPECTED -> Code.TYPE_UNEXPECTED;
      case ROLE_FORBIDS_TYPE -> Code.ROLE_FORBIDS_TYPE;
      default -> Code.MALFORMED;
    };
  }

  /** The code of a refused participant or governance signature. */
  static Code code(Reason reason) {
    return switch (reason) {
      case SIGNER_UNKNOWN -> Code.SIGNER_UNKNOWN;
      case SIGNATURE_INVALID -> Code.SIGNATURE_INVALID;
      case SIGNER_DUPLICATE -> Code.SIGNER_DUPLICATE;
      default -> Code.MALFORMED;
    };
  }

  /** {@code known}, and the keys the entry introduces, which can only have signed it for proof. */
  static KeyResolver withIntroduced(KeyResolver known, List<VerificationKey> introduced) {
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

  /** Whether every introduced key signed (proof of possession). */
  static boolean possessionProven(List<VerificationKey> introduced, List<String> signers) {
    for (VerificationKey key : introduced) {
      if (!signers.contains(key.keyId())) {
        return false;
      }
    }
    return true;
  }

  static List<String> keyIds(VerifiedJws verified) {
    List<String> ids = new ArrayList<>(verified.signers().size());
    for (VerificationKey key : verified.signers()) {
      ids.add(key.keyId());
    }
    return ids;
  }
}
