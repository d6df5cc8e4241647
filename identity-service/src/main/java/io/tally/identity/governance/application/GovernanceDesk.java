package io.tally.identity.governance.application;

import io.tally.engine.GovernanceProposal;
import io.tally.engine.Rules;
import io.tally.identity.governance.domain.GovernanceRules;
import io.tally.identity.governance.domain.Refusal;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.genesis.Genesis;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Proposes and approves governance changes. A change is published (through the outbox) exactly
 * once, when the {@code g}-th distinct administrator approves it; fewer approvals publish nothing.
 * What the network would refuse by its window rules is refused here first ({@code EXPIRED}, {@code
 * NOT_AFTER_TOO_FAR}); what only the network can decide (state: an existing participant, say) is
 * shown as the network decided it, from the desk's certified replica (ADR 0015).
 */
public final class GovernanceDesk {

  /** Where a proposal stands, as the desk shows it. */
  public enum Standing {
    /** Collecting approvals. */
    OPEN,
    /** {@code g} approvals: published (or about to be); no certified block holds it yet. */
    APPROVED,
    /** A certified block holds it: {@link Proposal#code()} is the network's outcome. */
    FINAL
  }

  /**
   * A proposal and where it stands.
   *
   * @param stored what the desk stored
   * @param standing OPEN, APPROVED or FINAL
   * @param code the network's outcome once FINAL ({@code ACCEPTED} or the rule that refused it),
   *     else null
   */
  public record Proposal(ProposalStore.Stored stored, Standing standing, @Nullable String code) {}

  private final Genesis genesis;
  private final Rules rules;
  private final ProposalStore store;
  private final Clock clock;
  private final NetworkOutcomes outcomes;

  public GovernanceDesk(
      Genesis genesis, Rules rules, ProposalStore store, Clock clock, NetworkOutcomes outcomes) {
    this.genesis = genesis;
    this.rules = rules;
    this.store = store;
    this.clock = clock;
    this.outcomes = outcomes;
  }

  /**
   * Records a proposal; proposing the same content again returns it.
   *
   * @throws Refusal a malformed payload, an unproven key, a {@code notAfter} outside the network's
   *     window, or another proposal under the same id
   */
  public Proposal propose(String payload, List<String> proofs) throws Refusal {
    GovernanceRules.CheckedProposal checked = GovernanceRules.checkProposal(payload, proofs, rules);
    GovernanceRules.checkWindow(checked.content().notAfter(), clock.millis(), rules);
    ProposalStore.Stored stored =
        store
            .createOrGet(
                new ProposalStore.Stored(
                    checked.content().id(),
                    checked.content().kind(),
                    payload,
                    checked.proofs(),
                    ProposalStore.Status.OPEN,
                    List.of()))
            .orElseThrow(() -> new AssertionError("createOrGet returned nothing"));
    if (!stored.payload().equals(payload)) {
      throw new Refusal(
          Refusal.Reason.ID_CONFLICT,
          "proposal " + stored.id() + " exists with other content; choose another id");
    }
    return standing(stored);
  }

  /**
   * Adds an administrator's approval; the {@code g}-th publishes the change.
   *
   * @throws Refusal an unknown proposal, a malformed or invalid signature, a key that is not a
   *     governance key, a second approval by the same administrator, or an open proposal whose
   *     {@code notAfter} has passed (publishing it could only be refused)
   */
  public Proposal approve(String id, String approval) throws Refusal {
    ProposalStore.Stored proposal = stored(id);
    String administrator =
        GovernanceRules.checkApproval(proposal.payload(), approval, genesis.governance());
    if (proposal.status() == ProposalStore.Status.OPEN) {
      GovernanceRules.checkWindow(notAfter(proposal), clock.millis(), rules);
    }
    ProposalStore.Recorded recorded =
        store.approve(
            id,
            new ProposalStore.Approval(administrator, approval),
            genesis.governance().threshold(),
            approvals ->
                GovernanceRules.entry(
                    proposal.proofs(),
                    approvals.stream().map(ProposalStore.Approval::jws).toList()));
    switch (recorded) {
      case ALREADY_APPROVED ->
          throw new Refusal(
              Refusal.Reason.ALREADY_APPROVED,
              administrator + " already approved proposal " + id + "; it counts once");
      case UNKNOWN_PROPOSAL -> throw unknown(id);
      case COUNTED -> {}
    }
    return find(id);
  }

  public Proposal find(String id) throws Refusal {
    return standing(stored(id));
  }

  public List<Proposal> list(String after, int limit) {
    return store.list(after, limit).stream().map(this::standing).toList();
  }

  private ProposalStore.Stored stored(String id) throws Refusal {
    return store.find(id).orElseThrow(() -> unknown(id));
  }

  /** An approved proposal is FINAL once a certified block holds its entry (the network's code). */
  private Proposal standing(ProposalStore.Stored stored) {
    if (stored.status() == ProposalStore.Status.OPEN) {
      return new Proposal(stored, Standing.OPEN, null);
    }
    Optional<String> code = outcomes.code(stored.id());
    return code.isPresent()
        ? new Proposal(stored, Standing.FINAL, code.get())
        : new Proposal(stored, Standing.APPROVED, null);
  }

  private long notAfter(ProposalStore.Stored proposal) throws Refusal {
    try {
      return GovernanceProposal.inspect(Base64Url.decode(proposal.payload()), rules).notAfter();
    } catch (GovernanceProposal.Refused | IllegalArgumentException e) {
      throw new AssertionError("a stored proposal no longer decodes: " + proposal.id(), e);
    }
  }

  public int threshold() {
    return genesis.governance().threshold();
  }

  private static Refusal unknown(String id) {
    return new Refusal(Refusal.Reason.UNKNOWN_PROPOSAL, "no proposal has id " + id);
  }
}
