package io.tally.ledger.blocks.infrastructure.persistence;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

/** Accounts and their balances. */
public interface AccountJpaRepository extends JpaRepository<AccountEntity, String> {

  List<AccountEntity> findByIdGreaterThanOrderById(String after, Limit limit);
}
