package io.tally.validator.voting.infrastructure;

import io.tally.protocol.codec.Sha256;
import io.tally.validator.voting.application.SnapshotStore;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Engine snapshots in the validator's own database (table {@code engine_snapshot}). */
final class JdbcSnapshotStore implements SnapshotStore {

  /** Snapshots kept; older ones are deleted when a new one is saved. */
  static final int KEPT = 3;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  JdbcSnapshotStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  @Override
  public Optional<Stored> latest() {
    List<Stored> rows =
        jdbc.query(
            "SELECT height, next_offset, state FROM engine_snapshot ORDER BY height DESC LIMIT 1",
            (row, i) -> new Stored(row.getLong(1), row.getLong(2), row.getBytes(3)));
    return rows.stream().findFirst();
  }

  @Override
  public void save(Stored snapshot) {
    transactions.executeWithoutResult(
        status -> {
          jdbc.update(
              "INSERT INTO engine_snapshot (height, next_offset, state_sha256, state)"
                  + " VALUES (?, ?, ?, ?) ON CONFLICT (height) DO NOTHING",
              snapshot.height(),
              snapshot.nextOffset(),
              Sha256.of(snapshot.state()).toHex(),
              snapshot.state());
          jdbc.update(
              "DELETE FROM engine_snapshot WHERE height NOT IN"
                  + " (SELECT height FROM engine_snapshot ORDER BY height DESC LIMIT ?)",
              KEPT);
        });
  }
}
