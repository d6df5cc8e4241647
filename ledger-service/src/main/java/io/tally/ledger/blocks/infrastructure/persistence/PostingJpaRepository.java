package io.tally.ledger.blocks.infrastructure.persistence;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** The movements of accounts, oldest first, paged by id. */
public interface PostingJpaRepository extends JpaRepository<PostingEntity, Long> {

  @Query(
      "select p from PostingEntity p where (p.debit = ?1 or p.credit = ?1) and p.id > ?2"
          + " order by p.id")
  List<PostingEntity> history(String account, long after, Limit limit);
}
