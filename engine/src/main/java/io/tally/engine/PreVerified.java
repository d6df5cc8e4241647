package io.tally.engine;

import io.tally.protocol.codec.Hash;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.jws.GeneralJws;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One log record after the pure, parallelizable stage: envelope opened and checked against the
 * genesis instances, body decoded, and every signature checked against the key its {@code kid}
 * names. What depends on state (is that key a current key of the participant who must sign, at this
 * point of the log?) is left to {@link Engine#apply}. Only the engine creates one ({@link
 * Engine#preVerify}, {@link Engine#preVerifyInstruction}), so an unchecked signature can never
 * reach the apply step: the constructor is private, and the kinds are package-private classes
 * nested here, built only by the engine's pre-verification stage ({@code PreVerifier}) and, when a
 * seal is refused, by the apply step ({@code Blocks}).
 *
 * <p>The kinds, one class each:
 *
 * <ul>
 *   <li>{@code Refused}: refused before anything in it could be trusted (its envelope did not open
 *       for this log, or its seal was refused when its segment was applied); it has no envelope.
 *   <li>{@code Cut}: a cut marker, its seal already checked.
 *   <li>{@code Anonymous}: an instruction or governance change whose id could not be read (the body
 *       is no JWS, or its payload has no id with a {@code notAfter}).
 *   <li>{@code Signed}: an instruction or governance change with its id, {@code notAfter}, content
 *       hash, command or content code, and the signatures checked so far.
 * </ul>
 */
public abstract sealed class PreVerified
    permits PreVerified.Refused, PreVerified.Cut, PreVerified.Anonymous, PreVerified.Signed {

  final long offset;
  final long logTime;
  final Hash entryHash;

  private PreVerified(long offset, long logTime, Hash entryHash) {
    this.offset = offset;
    this.logTime = logTime;
    this.entryHash = entryHash;
  }

  /** The envelope as it opened for this log; null when refused, and for a bare instruction. */
  abstract @Nullable Envelope envelopeOrNull();

  /**
   * Whether the envelope's seal is still unchecked: the apply step admits it through a later record
   * of the same producer in the segment that names its hash, or by checking the signature (ADR
   * 0011). Only instructions and governance changes that came in an envelope wait for it: a cut's
   * seal is checked when it is pre-verified, and a refused record has no envelope.
   */
  boolean sealPending() {
    return false;
  }

  /** The kind as {@link #toString()} names it. */
  abstract String kindName();

  /**
   * A record refused before anything in it could be trusted: its envelope did not open for this
   * log, or its seal was refused when its segment was applied (ADR 0011). It carries no envelope,
   * so it takes no place in any producer's chain.
   */
  static final class Refused extends PreVerified {

    final Code code;

    Refused(long offset, long logTime, Hash entryHash, Code code) {
      super(offset, logTime, entryHash);
      this.code = code;
    }

    @Override
    @Nullable Envelope envelopeOrNull() {
      return null;
    }

    @Override
    String kindName() {
      return "REFUSED";
    }

    @Override
    public Code earlyCode() {
      return code;
    }
  }

  /**
   * A cut marker of a validator instance. Its seal was checked when it was pre-verified: a cut ends
   * its segment, so nothing later in the segment can vouch for it.
   */
  static final class Cut extends PreVerified {

    /** Heights start at 1; this one marks a body that is no cut marker (refused as MALFORMED). */
    static final long UNREADABLE = 0;

    final Envelope envelope;

    /** The height the marker closes, or {@link #UNREADABLE}. */
    final long height;

    Cut(long offset, long logTime, Hash entryHash, Envelope envelope, long height) {
      super(offset, logTime, entryHash);
      if (height < UNREADABLE) {
        throw new AssertionError("a cut marker's height is positive or UNREADABLE, got " + height);
      }
      this.envelope = envelope;
      this.height = height;
    }

    boolean readable() {
      return height != UNREADABLE;
    }

    @Override
    Envelope envelopeOrNull() {
      return envelope;
    }

    @Override
    String kindName() {
      return "CUT";
    }

    @Override
    public Code earlyCode() {
      return readable() ? Code.ACCEPTED : Code.MALFORMED;
    }
  }

  /**
   * An instruction or governance change without a readable id: its body is no JWS, or its payload
   * carries no id with a {@code notAfter}. Refused ({@link Code#MALFORMED}, or the code of a
   * signature that failed) and never remembered: without an id nothing can repeat it. Its envelope,
   * when it has one, still takes its place in its producer's chain.
   */
  static final class Anonymous extends PreVerified {

    /** Null for a bare instruction ({@link Engine#preVerifyInstruction}). */
    final @Nullable Envelope envelope;

    final boolean governance;

    /** Null when the body is no JWS. */
    final @Nullable Hash contentHash;

    final List<String> signerKeyIds;

    /** The code of its outcome when applied: the signatures' code first, then the content's. */
    final Code code;

    /** What {@link #earlyCode()} says: as {@link #code}, but an unknown signer is told first. */
    private final Code earlyCode;

    /**
     * @param signerUnknown whether a signature named a key unknown at pre-verification (the record
     *     is refused before that key would be looked up again)
     */
    Anonymous(
        long offset,
        long logTime,
        Hash entryHash,
        @Nullable Envelope envelope,
        boolean governance,
        @Nullable Hash contentHash,
        List<String> signerKeyIds,
        Code signatureCode,
        boolean signerUnknown,
        Code contentCode) {
      super(offset, logTime, entryHash);
      this.envelope = envelope;
      this.governance = governance;
      this.contentHash = contentHash;
      this.signerKeyIds = List.copyOf(signerKeyIds);
      this.code = signatureCode.accepted() ? contentCode : signatureCode;
      this.earlyCode = Signed.earlyCode(signatureCode, signerUnknown, contentCode);
    }

    @Override
    @Nullable Envelope envelopeOrNull() {
      return envelope;
    }

    @Override
    boolean sealPending() {
      return envelope != null;
    }

    @Override
    String kindName() {
      return governance ? "GOVERNANCE" : "INSTRUCTION";
    }

    @Override
    public Code earlyCode() {
      return earlyCode;
    }
  }

  /**
   * An instruction or governance change with its id, {@code notAfter} and content hash: the apply
   * step checks its window, whether the id repeats, the signatures that need state, and then its
   * command's rules.
   */
  static final class Signed extends PreVerified {

    /** Null for a bare instruction ({@link Engine#preVerifyInstruction}): never applied. */
    final @Nullable Envelope envelope;

    final boolean governance;
    final String id;
    final long notAfter;
    final Hash contentHash;

    /** The decoded command; null exactly when {@link #contentCode} is not accepted. */
    final @Nullable Command command;

    /** The code of the first signature rule broken, or {@link Code#ACCEPTED}. */
    final Code signatureCode;

    /** The code of the first stateless content rule broken, or {@link Code#ACCEPTED}. */
    final Code contentCode;

    /** Key ids whose signatures verified, in order (instructions). */
    final List<String> signerKeyIds;

    /** Set when a signature named a key unknown at pre-verification: verified again in apply. */
    final @Nullable GeneralJws deferred;

    Signed(
        long offset,
        long logTime,
        Hash entryHash,
        @Nullable Envelope envelope,
        boolean governance,
        String id,
        long notAfter,
        Hash contentHash,
        @Nullable Command command,
        Code signatureCode,
        Code contentCode,
        List<String> signerKeyIds,
        @Nullable GeneralJws deferred) {
      super(offset, logTime, entryHash);
      if ((command != null) != contentCode.accepted()) {
        throw new AssertionError("a command is decoded exactly when its content is accepted");
      }
      this.envelope = envelope;
      this.governance = governance;
      this.id = id;
      this.notAfter = notAfter;
      this.contentHash = contentHash;
      this.command = command;
      this.signatureCode = signatureCode;
      this.contentCode = contentCode;
      this.signerKeyIds = List.copyOf(signerKeyIds);
      this.deferred = deferred;
    }

    /** The rule of {@link PreVerified#earlyCode()} for a signed body. */
    static Code earlyCode(Code signatureCode, boolean signerUnknown, Code contentCode) {
      if (!signatureCode.accepted()) {
        return signatureCode;
      }
      if (signerUnknown) {
        return Code.SIGNER_UNKNOWN;
      }
      return contentCode;
    }

    @Override
    @Nullable Envelope envelopeOrNull() {
      return envelope;
    }

    @Override
    boolean sealPending() {
      return envelope != null;
    }

    @Override
    String kindName() {
      return governance ? "GOVERNANCE" : "INSTRUCTION";
    }

    @Override
    public Code earlyCode() {
      return earlyCode(signatureCode, deferred != null, contentCode);
    }
  }

  public long offset() {
    return offset;
  }

  /**
   * The envelope, when it opened for this log (refused records have none). Its seal may still be
   * refused when its segment is applied (ADR 0011): the outcome at {@link #offset()} says.
   */
  public Optional<Envelope> envelope() {
    return Optional.ofNullable(envelopeOrNull());
  }

  /**
   * Whether the record is a cut marker. A block holding only cut markers has nothing waiting to be
   * settled, so validators do not cut it on a timer (otherwise late cuts would keep producing
   * blocks of cuts).
   */
  public boolean isCut() {
    return this instanceof Cut;
  }

  /**
   * What can be said before applying, for a front door that rejects early: the first code of the
   * stateless rules (envelope, decoding, signatures against the keys known so far; a key not known
   * yet is {@link Code#SIGNER_UNKNOWN}), or {@link Code#ACCEPTED} when nothing is wrong yet. The
   * rules that need state (revoked keys, funds, duplicates) are the validators'.
   */
  public abstract Code earlyCode();

  /** The instruction's {@code notAfter} (log time, ms), if the record could be read that far. */
  public OptionalLong notAfter() {
    return this instanceof Signed signed ? OptionalLong.of(signed.notAfter) : OptionalLong.empty();
  }

  /**
   * The hash that identifies the instruction's content for duplicate detection (the same id with
   * another hash is {@link Code#DUPLICATE_CONFLICT}), if the record could be read that far.
   */
  public Optional<Hash> contentHash() {
    if (this instanceof Signed signed) {
      return Optional.of(signed.contentHash);
    } else if (this instanceof Anonymous anonymous) {
      return Optional.ofNullable(anonymous.contentHash);
    }
    return Optional.empty();
  }

  /**
   * The ids of the keys whose signatures on the instruction verified here, in order; empty for
   * other records, when a signature failed, and when a key was unknown here (then the engine
   * verifies them when it applies the record).
   */
  public List<String> signerKeyIds() {
    if (this instanceof Signed signed) {
      return signed.signerKeyIds;
    } else if (this instanceof Anonymous anonymous) {
      return anonymous.signerKeyIds;
    }
    return List.of();
  }

  /** The instruction id the record carries, if it could be read. */
  public Optional<String> instructionId() {
    return this instanceof Signed signed ? Optional.of(signed.id) : Optional.empty();
  }

  @Override
  public String toString() {
    return "PreVerified[offset "
        + offset
        + ", "
        + kindName()
        + ", id "
        + instructionId().orElse("null")
        + "]";
  }
}
