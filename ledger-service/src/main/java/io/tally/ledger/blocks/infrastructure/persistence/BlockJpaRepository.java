package io.tally.ledger.blocks.infrastructure.persistence;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/** Committed blocks. */
public interface BlockJpaRepository extends JpaRepository<BlockEntity, Long> {

  List<BlockEntity> findByHeightGreaterThanEqualOrderByHeight(long from, Limit limit);

  Optional<BlockEntity> findFirstByOrderByHeightDesc();
}
