package io.tally.gateway.instructions.application;

import io.tally.engine.Code;
import io.tally.engine.LogRecord;
import io.tally.engine.PreVerified;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.service.CertifiedReplica;

/**
 * Checks an instruction as the validators will before it costs the log anything (shape, decoding,
 * every signature against the keys of the certified directory), then writes it. The validators
 * check everything again: an early acceptance promises nothing; an early rejection saves the log.
 */
public final class SubmitInstruction {

  /** What an accepted submission gives: the instruction id and where it is in the log. */
  public record Submitted(String instructionId, long offset) {}

  private final CertifiedReplica replica;
  private final EnvelopeWriter probe;
  private final InstructionLog log;

  /**
   * @param probe seals instructions for the early check only (its envelopes are never written)
   */
  public SubmitInstruction(CertifiedReplica replica, EnvelopeWriter probe, InstructionLog log) {
    this.replica = replica;
    this.probe = probe;
    this.log = log;
  }

  /**
   * Checks and writes one instruction (a JWS in JSON general serialization).
   *
   * @throws Rejected with the engine's code when a stateless rule already fails
   */
  public Submitted submit(byte[] instruction) throws Rejected {
    byte[] sealed;
    synchronized (probe) {
      sealed = probe.next(EnvelopeType.INSTRUCTION, instruction).toBytes();
    }
    PreVerified checked = replica.check(new LogRecord(0, 0, sealed));
    Code code = checked.earlyCode();
    String id = checked.instructionId().orElse(null);
    if (!code.accepted()) {
      throw new Rejected(code, describe(code));
    }
    if (id == null) {
      throw new Rejected(Code.MALFORMED, "the instruction carries no id");
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
