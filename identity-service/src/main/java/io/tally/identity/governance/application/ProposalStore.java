package io.tally.identity.governance.application;

import java.util.List;
import java.util.Optional;

/** The desk's database. Every method runs in its own transaction. */
public interface ProposalStore {

  /** A stored proposal and its approvals so far. */
  record Stored(
      String id,
      String kind,
      String payload,
      List<String> proofs,
      Status status,
      List<Approval> approvals) {}

  /** One administrator's approval. */
  record Approval(String administrator, String jws) {}

  /** Where a proposal stands. */
  enum Status {
    /** Collecting approvals. */
    OPEN,
    /** {@code g} approvals: its entry is in the outbox (published or about to be). */
    APPROVED
  }

  /** What recording an approval did. */
  enum Recorded {
    COUNTED,
    ALREADY_APPROVED,
    UNKNOWN_PROPOSAL
  }

  /** Stores a new proposal; returns the existing one when the id is taken. */
  Optional<Stored> createOrGet(Stored proposal);

  Optional<Stored> find(String id);

  /** Proposals by id after {@code after}, at most {@code limit}. */
  List<Stored> list(String after, int limit);

  /**
   * In one transaction, with the proposal locked: records the approval unless this administrator
   * approved already; when the proposal is still open and has {@code threshold} approvals, marks it
   * approved and writes {@code entry.apply(approvals)} to the outbox.
   */
  Recorded approve(
      String id,
      Approval approval,
      int threshold,
      java.util.function.Function<List<Approval>, byte[]> entry);
}
