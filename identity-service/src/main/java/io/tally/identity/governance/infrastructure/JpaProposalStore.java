package io.tally.identity.governance.infrastructure;

import io.tally.identity.governance.application.ProposalStore;
import io.tally.identity.governance.infrastructure.persistence.ApprovalEntity;
import io.tally.identity.governance.infrastructure.persistence.ApprovalJpaRepository;
import io.tally.identity.governance.infrastructure.persistence.ProposalEntity;
import io.tally.identity.governance.infrastructure.persistence.ProposalJpaRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The desk's store on Spring Data JPA; the outbox row is written with JDBC in the same transaction.
 */
final class JpaProposalStore implements ProposalStore {

  private final ProposalJpaRepository proposals;
  private final ApprovalJpaRepository approvals;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final Runnable afterApproval;

  /**
   * @param afterApproval told after a transaction that approved a proposal (the relay publishes)
   */
  JpaProposalStore(
      ProposalJpaRepository proposals,
      ApprovalJpaRepository approvals,
      JdbcTemplate jdbc,
      TransactionTemplate transactions,
      Clock clock,
      Runnable afterApproval) {
    this.proposals = proposals;
    this.approvals = approvals;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
    this.afterApproval = afterApproval;
  }

  @Override
  public Optional<Stored> createOrGet(Stored proposal) {
    try {
      transactions.executeWithoutResult(
          status -> {
            if (!proposals.existsById(proposal.id())) {
              proposals.saveAndFlush(
                  new ProposalEntity(
                      proposal.id(),
                      proposal.kind(),
                      proposal.payload(),
                      String.join("\n", proposal.proofs()),
                      proposal.status().name()));
            }
          });
    } catch (DataIntegrityViolationException e) {
      // Another request created it at the same moment: read what is there.
    }
    return find(proposal.id());
  }

  @Override
  public Optional<Stored> find(String id) {
    return transactions.execute(status -> proposals.findById(id).map(this::toStored));
  }

  @Override
  public List<Stored> list(String after, int limit) {
    List<Stored> page =
        transactions.execute(
            status ->
                proposals.findByIdGreaterThanOrderById(after, Limit.of(limit)).stream()
                    .map(this::toStored)
                    .toList());
    return page == null ? List.of() : page;
  }

  @Override
  public Recorded approve(
      String id, Approval approval, int threshold, Function<List<Approval>, byte[]> entry) {
    Recorded recorded =
        transactions.execute(
            status -> {
              Optional<ProposalEntity> found = proposals.findForUpdate(id);
              if (found.isEmpty()) {
                return Recorded.UNKNOWN_PROPOSAL;
              }
              ProposalEntity proposal = found.get();
              if (approvals.existsById(new ApprovalEntity.Key(id, approval.administrator()))) {
                return Recorded.ALREADY_APPROVED;
              }
              approvals.saveAndFlush(
                  new ApprovalEntity(id, approval.administrator(), approval.jws()));
              List<Approval> all = approvalsOf(id);
              if (proposal.status().equals(Status.OPEN.name()) && all.size() >= threshold) {
                proposal.approved(clock.instant());
                jdbc.update(
                    "INSERT INTO outbox (proposal_id, payload) VALUES (?, ?)",
                    id,
                    entry.apply(all));
              }
              return Recorded.COUNTED;
            });
    afterApproval.run();
    return recorded == null ? Recorded.UNKNOWN_PROPOSAL : recorded;
  }

  private List<Approval> approvalsOf(String id) {
    List<Approval> list = new ArrayList<>();
    for (ApprovalEntity approval : approvals.findByProposalIdOrderByCreatedAt(id)) {
      list.add(new Approval(approval.administrator(), approval.jws()));
    }
    return list;
  }

  private Stored toStored(ProposalEntity proposal) {
    List<String> proofs =
        proposal.proofs().isEmpty() ? List.of() : Arrays.asList(proposal.proofs().split("\n", -1));
    return new Stored(
        proposal.id(),
        proposal.kind(),
        proposal.payload(),
        proofs,
        Status.valueOf(proposal.status()),
        approvalsOf(proposal.id()));
  }
}
