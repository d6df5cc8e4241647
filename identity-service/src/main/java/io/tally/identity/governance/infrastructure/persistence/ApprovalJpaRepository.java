package io.tally.identity.governance.infrastructure.persistence;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** Approvals. */
public interface ApprovalJpaRepository extends JpaRepository<ApprovalEntity, ApprovalEntity.Key> {

  List<ApprovalEntity> findByProposalIdOrderByCreatedAt(String proposalId);
}
