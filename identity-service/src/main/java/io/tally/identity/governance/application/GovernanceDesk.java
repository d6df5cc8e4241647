package io.tally.identity.governance.application;

import io.tally.engine.Rules;
import io.tally.identity.governance.domain.GovernanceRules;
import io.tally.identity.governance.domain.Refusal;
import io.tally.protocol.genesis.Genesis;
import java.util.List;

/**
 * Proposes and approves governance changes. A change is published (through the outbox) exactly
 * once, when the {@code g}-th distinct administrator approves it; fewer approvals publish nothing.
 */
public final class GovernanceDesk {

  private final Genesis genesis;
  private final Rules rules;
  private final ProposalStore store;

  public GovernanceDesk(Genesis genesis, Rules rules, ProposalStore store) {
    this.genesis = genesis;
    this.rules = rules;
    this.store = store;
  }

  /**
   * Records a proposal; proposing the same content again returns it.
   *
   * @throws Refusal a malformed payload, an unproven key, or another proposal under the same id
   */
  public ProposalStore.Stored propose(String payload, List<String> proofs) throws Refusal {
    GovernanceRules.CheckedProposal checked = GovernanceRules.checkProposal(payload, proofs, rules);
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
    return stored;
  }

  /**
   * Adds an administrator's approval; the {@code g}-th publishes the change.
   *
   * @throws Refusal an unknown proposal, a malformed or invalid signature, a key that is not a
   *     governance key, or a second approval by the same administrator
   */
  public ProposalStore.Stored approve(String id, String approval) throws Refusal {
    ProposalStore.Stored proposal = find(id);
    String administrator =
        GovernanceRules.checkApproval(proposal.payload(), approval, genesis.governance());
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

  public ProposalStore.Stored find(String id) throws Refusal {
    return store.find(id).orElseThrow(() -> unknown(id));
  }

  public List<ProposalStore.Stored> list(String after, int limit) {
    return store.list(after, limit);
  }

  public int threshold() {
    return genesis.governance().threshold();
  }

  private static Refusal unknown(String id) {
    return new Refusal(Refusal.Reason.UNKNOWN_PROPOSAL, "no proposal has id " + id);
  }
}
