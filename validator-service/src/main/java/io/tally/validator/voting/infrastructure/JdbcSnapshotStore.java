package io.tally.validator.voting.infrastructure;

import io.tally.protocol.codec.Sha256;
import io.tally.service.NewestOnlyWriter;
import io.tally.validator.voting.application.SnapshotStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Engine snapshots in the validator's own database (table {@code engine_snapshot}), written on a
 * background thread so that the voting loop never waits for a multi-megabyte insert (measured:
 * synchronous writes put the p99 time from append to commit above a second; see
 * docs/performance.md). At most one write waits; a newer snapshot replaces it.
 */
final class JdbcSnapshotStore implements SnapshotStore {

  /** Snapshots kept; older ones are deleted when a new one is saved. */
  static final int KEPT = 3;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final NewestOnlyWriter writer = new NewestOnlyWriter("snapshot-writer");

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
  public void save(long height, long nextOffset, Supplier<byte[]> state) {
    writer.submit(
        "snapshot at height " + height, () -> write(new Stored(height, nextOffset, state.get())));
  }

  private void write(Stored snapshot) {
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
