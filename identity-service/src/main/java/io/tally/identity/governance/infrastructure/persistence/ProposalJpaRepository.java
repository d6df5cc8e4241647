package io.tally.identity.governance.infrastructure.persistence;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/** Proposals. */
public interface ProposalJpaRepository extends JpaRepository<ProposalEntity, String> {

  /** The proposal, locked until the transaction ends: approvals of one proposal queue up. */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("select p from ProposalEntity p where p.id = ?1")
  Optional<ProposalEntity> findForUpdate(String id);

  List<ProposalEntity> findByIdGreaterThanOrderById(String after, Limit limit);
}
