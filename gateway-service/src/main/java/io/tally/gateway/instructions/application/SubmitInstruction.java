package io.tally.gateway.instructions.application;

import io.tally.engine.Code;
import io.tally.engine.LogRecord;
import io.tally.engine.PreVerified;
import io.tally.engine.Rules;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.service.CertifiedReplica;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks an instruction as the validators will before it costs the log anything (shape, decoding,
 * every signature against the keys of the certified directory, {@code notAfter} against this
 * gateway's clock, and the reuse of an id with other content), then writes it. The validators check
 * everything again, by log time: an early acceptance promises nothing; an early rejection saves the
 * log.
 */
public final class SubmitInstruction {

  /** What an accepted submission gives: the instruction id and where it is in the log. */
  public record Submitted(String instructionId, long offset) {}

  /** Ids written recently, with their content: enough to answer a conflicting retry at once. */
  static final int RECENT_MAX = 100_000;

  private final CertifiedReplica replica;
  private final EnvelopeWriter probe;
  private final InstructionLog log;
  private final Clock clock;
  private final Rules rules;
  private final Map<String, Hash> recent =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Hash> eldest) {
          return size() > RECENT_MAX;
        }
      };

  /**
   * @param probe seals instructions for the early check only (its envelopes are never written)
   */
  public SubmitInstruction(
      CertifiedReplica replica,
      EnvelopeWriter probe,
      InstructionLog log,
      Clock clock,
      Rules rules) {
    this.replica = replica;
    this.probe = probe;
    this.log = log;
    this.clock = clock;
    this.rules = rules;
  }

  /**
   * Checks and writes one instruction (a JWS in JSON general serialization). Submitting the same
   * instruction again is allowed (the network applies an id once and reports the first outcome).
   *
   * @throws Rejected with the engine's code when a rule already fails
   */
  public Submitted submit(byte[] instruction) throws Rejected {
    byte[] sealed;
    synchronized (probe) {
      sealed = probe.next(EnvelopeType.INSTRUCTION, instruction).toBytes();
    }
    PreVerified checked = replica.check(new LogRecord(0, 0, sealed));
    Code code = checked.earlyCode();
    if (!code.accepted()) {
      throw new Rejected(code, describe(code));
    }
    Optional<String> read = checked.instructionId();
    OptionalLong notAfter = checked.notAfter();
    Optional<Hash> content = checked.contentHash();
    if (read.isEmpty() || notAfter.isEmpty() || content.isEmpty()) {
      throw new Rejected(Code.MALFORMED, "the instruction carries no id or notAfter");
    }
    String id = read.get();
    long now = clock.millis();
    if (notAfter.getAsLong() < now) {
      throw new Rejected(
          Code.EXPIRED, "notAfter " + notAfter.getAsLong() + " has passed (now " + now + ")");
    }
    if (notAfter.getAsLong() - now > rules.instructionWindowMs()) {
      throw new Rejected(
          Code.NOT_AFTER_TOO_FAR,
          "notAfter lies more than " + rules.instructionWindowMs() + " ms ahead (now " + now + ")");
    }
    Optional<Hash> earlier = replica.rememberedContent(id);
    synchronized (recent) {
      if (earlier.isEmpty()) {
        earlier = Optional.ofNullable(recent.get(id));
      }
      if (earlier.isPresent() && !earlier.get().equals(content.get())) {
        throw new Rejected(
            Code.DUPLICATE_CONFLICT, "instruction id " + id + " was used with other content");
      }
      recent.put(id, content.get());
    }
    return new Submitted(id, log.append(instruction));
  }

  private static String describe(Code code) {
    return switch (code) {
      case SIGNATURE_INVALID -> "a signature does not verify over the instruction's bytes";
      case SIGNER_UNKNOWN -> "a signature names a key that is not in the certified directory";
      case SIGNER_DUPLICATE -> "a key signed twice";
      case MALFORMED -> "not an instruction the network can read (JWS in JSON, kind, members)";
      default -> "refused by rule " + code;
    };
  }
}
