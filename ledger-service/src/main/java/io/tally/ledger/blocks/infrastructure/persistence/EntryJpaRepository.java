package io.tally.ledger.blocks.infrastructure.persistence;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Entries of committed blocks, and the Merkle leaves their proofs are computed from. */
public interface EntryJpaRepository extends JpaRepository<EntryEntity, Long> {

  List<EntryEntity> findByInstructionIdOrderByLogOffset(String instructionId, Limit limit);

  @Query("select e.entryLeaf from EntryLeaves e where e.height = ?1 order by e.position")
  List<byte[]> entryLeaves(long height);

  @Query("select e.resultLeaf from EntryLeaves e where e.height = ?1 order by e.position")
  List<byte[]> resultLeaves(long height);
}
