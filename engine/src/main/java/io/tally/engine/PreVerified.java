package io.tally.engine;

import io.tally.protocol.codec.Hash;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.jws.GeneralJws;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One log record after the pure, parallelizable stage: envelope opened and checked against the
 * genesis instances, body decoded, and every signature checked against the key its {@code kid}
 * names. What depends on state (is that key a current key of the participant who must sign, at this
 * point of the log?) is left to {@link Engine#apply}. Only {@link Engine#preVerify} creates one, so
 * an unchecked signature can never reach the apply step.
 */
public final class PreVerified {

  /** What kind of entry the record is. */
  enum Kind {
    /** Refused before its kind was known (envelope or body unreadable). */
    NONE,
    INSTRUCTION,
    GOVERNANCE,
    CUT
  }

  final long offset;
  final long logTime;
  final Hash entryHash;
  final @Nullable Envelope envelope;
  final Kind kind;
  final @Nullable String id;
  final long notAfter;
  final @Nullable Hash contentHash;
  final @Nullable Command command;

  /** The code of the first rule broken: signatures first, then stateless content rules. */
  final Code signatureCode;

  final Code contentCode;

  /** Key ids whose signatures verified, in order (instructions). */
  final List<String> signerKeyIds;

  /** Set when a signature named a key unknown at pre-verification: verified again in apply. */
  final @Nullable GeneralJws deferred;

  /**
   * Whether the envelope's seal is still unchecked: the engine admits it when the record is
   * applied, through a later record of the same producer in the segment that names its hash, or by
   * checking the signature (ADR 0011).
   */
  final boolean sealPending;

  PreVerified(
      long offset,
      long logTime,
      Hash entryHash,
      @Nullable Envelope envelope,
      Kind kind,
      @Nullable String id,
      long notAfter,
      @Nullable Hash contentHash,
      @Nullable Command command,
      Code signatureCode,
      Code contentCode,
      List<String> signerKeyIds,
      @Nullable GeneralJws deferred,
      boolean sealPending) {
    this.offset = offset;
    this.logTime = logTime;
    this.entryHash = entryHash;
    this.envelope = envelope;
    this.kind = kind;
    this.id = id;
    this.notAfter = notAfter;
    this.contentHash = contentHash;
    this.command = command;
    this.signatureCode = signatureCode;
    this.contentCode = contentCode;
    this.signerKeyIds = List.copyOf(signerKeyIds);
    this.deferred = deferred;
    this.sealPending = sealPending && envelope != null;
  }

  static PreVerified refused(long offset, long logTime, Hash entryHash, Code code) {
    return new PreVerified(
        offset, logTime, entryHash, null, Kind.NONE, null, 0, null, null, code, code, List.of(),
        null, false);
  }

  public long offset() {
    return offset;
  }

  /**
   * The envelope, when it opened for this log (refused records have none). Its seal may still be
   * refused when its segment is applied (ADR 0011): the outcome at {@link #offset()} says.
   */
  public java.util.Optional<Envelope> envelope() {
    return java.util.Optional.ofNullable(envelope);
  }

  /**
   * Whether the record is a cut marker. A block holding only cut markers has nothing waiting to be
   * settled, so validators do not cut it on a timer (otherwise late cuts would keep producing
   * blocks of cuts).
   */
  public boolean isCut() {
    return kind == Kind.CUT;
  }

  /**
   * What can be said before applying, for a front door that rejects early: the first code of the
   * stateless rules (envelope, decoding, signatures against the keys known so far; a key not known
   * yet is {@link Code#SIGNER_UNKNOWN}), or {@link Code#ACCEPTED} when nothing is wrong yet. The
   * rules that need state (revoked keys, funds, duplicates) are the validators'.
   */
  public Code earlyCode() {
    if (!signatureCode.accepted()) {
      return signatureCode;
    }
    if (deferred != null) {
      return Code.SIGNER_UNKNOWN;
    }
    return contentCode;
  }

  /** The instruction's {@code notAfter} (log time, ms), if the record could be read that far. */
  public java.util.OptionalLong notAfter() {
    return id == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(notAfter);
  }

  /**
   * The hash that identifies the instruction's content for duplicate detection (the same id with
   * another hash is {@link Code#DUPLICATE_CONFLICT}), if the record could be read that far.
   */
  public java.util.Optional<Hash> contentHash() {
    return java.util.Optional.ofNullable(contentHash);
  }

  /**
   * The ids of the keys whose signatures on the instruction verified here, in order; empty for
   * other records, when a signature failed, and when a key was unknown here (then the engine
   * verifies them when it applies the record).
   */
  public List<String> signerKeyIds() {
    return signerKeyIds;
  }

  /** The instruction id the record carries, if it could be read. */
  public java.util.Optional<String> instructionId() {
    return java.util.Optional.ofNullable(id);
  }

  @Override
  public String toString() {
    return "PreVerified[offset " + offset + ", " + kind + ", id " + id + "]";
  }
}
