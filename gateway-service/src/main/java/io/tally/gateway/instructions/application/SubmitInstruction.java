package io.tally.gateway.instructions.application;

import io.tally.engine.Code;
import io.tally.engine.PreVerified;
import io.tally.engine.Rules;
import io.tally.protocol.codec.Hash;
import io.tally.service.CertifiedReplica;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
  public record Submitted(String instructionId, long offset) implements Result {}

  /** Ids written recently, with their content: enough to answer a conflicting retry at once. */
  static final int RECENT_MAX = 100_000;

  private final CertifiedReplica replica;
  private final InstructionLog log;
  private final Clock clock;
  private final Rules rules;
  private final Backlog backlog;
  private final ChainGuard guard;
  private final Map<String, Hash> recent =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Hash> eldest) {
          return size() > RECENT_MAX;
        }
      };

  public SubmitInstruction(
      CertifiedReplica replica,
      InstructionLog log,
      Clock clock,
      Rules rules,
      Backlog backlog,
      ChainGuard guard) {
    this.replica = replica;
    this.guard = guard;
    this.log = log;
    this.clock = clock;
    this.rules = rules;
    this.backlog = backlog;
  }

  /**
   * Checks and writes one instruction (a JWS in JSON general serialization). Submitting the same
   * instruction again is allowed (the network applies an id once and reports the first outcome).
   *
   * @throws Rejected with the engine's code when a rule already fails
   * @throws NotCaughtUp when a key is unknown while the replica has not read the log to its end
   * @throws Backlog.Overloaded when the log backlog is beyond its limit
   * @throws ChainGuard.Contended while another process writes under this gateway's producer id
   */
  public Submitted submit(byte[] instruction)
      throws Rejected, Backlog.Overloaded, ChainGuard.Contended {
    Checked checked = check(instruction);
    guard.requireUncontended();
    backlog.admit(1);
    claim(checked);
    long offset = log.append(instruction);
    backlog.appended(offset);
    return new Submitted(checked.id(), offset);
  }

  /** One item of a batch: submitted, or refused with the code the single submission would get. */
  public sealed interface Result permits Submitted, Refused {}

  /** A batch item that was not written. */
  public record Refused(Code code, String detail) implements Result {}

  /**
   * Checks every instruction of a batch and writes those that pass, in order, waiting for all
   * acknowledgements at once. A refused item does not stop the others.
   *
   * @return one result per instruction, in order
   * @throws Backlog.Overloaded when the batch would take the backlog beyond its limit
   * @throws ChainGuard.Contended while another process writes under this gateway's producer id
   */
  public List<Result> submitAll(List<byte[]> instructions)
      throws Backlog.Overloaded, ChainGuard.Contended {
    guard.requireUncontended();
    Result[] results = new Result[instructions.size()];
    List<Checked> passing = new ArrayList<>();
    List<Integer> passingAt = new ArrayList<>();
    for (int i = 0; i < instructions.size(); i++) {
      try {
        passing.add(check(instructions.get(i)));
        passingAt.add(i);
      } catch (Rejected e) {
        results[i] = new Refused(e.code(), String.valueOf(e.getMessage()));
      }
    }
    backlog.admit(passing.size());
    List<Checked> writing = new ArrayList<>(passing.size());
    List<Integer> writingAt = new ArrayList<>(passing.size());
    for (int k = 0; k < passing.size(); k++) {
      try {
        claim(passing.get(k)); // also refuses a second use of an id within the batch
        writing.add(passing.get(k));
        writingAt.add(passingAt.get(k));
      } catch (Rejected e) {
        results[passingAt.get(k)] = new Refused(e.code(), String.valueOf(e.getMessage()));
      }
    }
    List<Long> offsets =
        writing.isEmpty()
            ? List.of()
            : log.appendAll(writing.stream().map(Checked::instruction).toList());
    for (int w = 0; w < writing.size(); w++) {
      backlog.appended(offsets.get(w));
      results[writingAt.get(w)] = new Submitted(writing.get(w).id(), offsets.get(w));
    }
    return List.of(results);
  }

  /** An instruction that passed the early checks. */
  @SuppressWarnings("ArrayRecordComponent") // the bytes to write; never compared
  private record Checked(String id, Hash content, byte[] instruction) {}

  private Checked check(byte[] instruction) throws Rejected {
    PreVerified checked = replica.checkInstruction(instruction);
    Code code = checked.earlyCode();
    if (code == Code.SIGNER_UNKNOWN && !replica.caughtUp()) {
      throw new NotCaughtUp(); // the key may be registered in a block not read yet
    }
    if (!code.accepted()) {
      throw new Rejected(code, describe(code));
    }
    Optional<String> read = checked.instructionId();
    OptionalLong notAfter = checked.notAfter();
    Optional<Hash> content = checked.contentHash();
    if (read.isEmpty() || notAfter.isEmpty() || content.isEmpty()) {
      throw new Rejected(Code.MALFORMED, "the instruction carries no id or notAfter");
    }
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
    return new Checked(read.get(), content.get(), instruction);
  }

  /** Refuses an id already used with other content, and remembers this use of it. */
  private void claim(Checked checked) throws Rejected {
    Optional<Hash> earlier = replica.rememberedContent(checked.id());
    synchronized (recent) {
      if (earlier.isEmpty()) {
        earlier = Optional.ofNullable(recent.get(checked.id()));
      }
      if (earlier.isPresent() && !earlier.get().equals(checked.content())) {
        throw new Rejected(
            Code.DUPLICATE_CONFLICT,
            "instruction id " + checked.id() + " was used with other content");
      }
      recent.put(checked.id(), checked.content());
    }
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
