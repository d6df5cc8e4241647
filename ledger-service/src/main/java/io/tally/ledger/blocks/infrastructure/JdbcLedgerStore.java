package io.tally.ledger.blocks.infrastructure;

import io.tally.engine.AccountView;
import io.tally.engine.BlockResult;
import io.tally.engine.LogRecord;
import io.tally.engine.Outcome;
import io.tally.engine.Posting;
import io.tally.follower.VoteArrivals;
import io.tally.ledger.blocks.application.LedgerStore;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.merkle.MerkleTree;
import io.tally.service.NewestOnlyWriter;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The append path in plain batched JDBC: one transaction per certified block, a handful of batched
 * statements whatever the block's size (ADR 0007). Reads for the API go through JPA.
 *
 * <p>Engine snapshots are written after their block's commit, on a background thread, so that the
 * loop never waits for a multi-megabyte insert (at most one waits; a newer one replaces it). A
 * snapshot is only ever at or below the committed height, which is all a restart needs.
 */
final class JdbcLedgerStore implements LedgerStore {

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;
  private final Runnable afterCommit;
  private final NewestOnlyWriter snapshotWriter = new NewestOnlyWriter("snapshot-writer");

  /**
   * @param afterCommit told after each committed block (the outbox relay publishes at once)
   */
  JdbcLedgerStore(JdbcTemplate jdbc, TransactionTemplate transactions, Runnable afterCommit) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.afterCommit = afterCommit;
  }

  @Override
  public Progress progress(int shard) {
    List<Progress> rows =
        jdbc.query(
            "SELECT height, log_next_offset, votes_next_offset FROM progress WHERE shard = ?",
            (rs, i) -> new Progress(rs.getLong(1), rs.getLong(2), rs.getLong(3)),
            shard);
    return rows.isEmpty() ? Progress.START : rows.get(0);
  }

  @Override
  public Optional<Snapshot> snapshotAtOrBelow(long height) {
    return jdbc
        .query(
            "SELECT height, next_offset, state FROM engine_snapshot WHERE height <= ?"
                + " ORDER BY height DESC LIMIT 1",
            (rs, i) -> new Snapshot(rs.getLong(1), rs.getLong(2), rs.getBytes(3)),
            height)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<Hash> headerHash(long height) {
    return jdbc
        .query(
            "SELECT header_sha256 FROM block WHERE height = ?",
            (rs, i) -> Hash.ofHex(rs.getString(1)),
            height)
        .stream()
        .findFirst();
  }

  @Override
  public void commit(CommittedBlock committed) {
    transactions.executeWithoutResult(transaction -> write(committed));
    afterCommit.run();
    Supplier<byte[]> snapshot = committed.snapshot();
    if (snapshot != null) {
      long height = committed.block().header().height();
      long nextOffset = committed.logNextOffset();
      // Finished (encoded, checksummed) on the writer's thread, not on the ledger's loop.
      snapshotWriter.submit(
          "snapshot at height " + height, () -> writeSnapshot(height, nextOffset, snapshot.get()));
    }
  }

  private void write(CommittedBlock committed) {
    BlockResult block = committed.block();
    BlockHeader header = block.header();
    long height = header.height();
    jdbc.update(
        "INSERT INTO block (height, header, header_sha256, prev_sha256, entry_count, first_offset,"
            + " last_offset, log_time, state_sha256, certificate, signers)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        height,
        header.toBytes(),
        header.hash().toHex(),
        header.prev().toHex(),
        header.entryCount(),
        header.firstOffset(),
        header.lastOffset(),
        header.logTime(),
        header.state().toHex(),
        committed.certificate().toBytes(),
        String.join(",", committed.signers()));
    List<Object[]> entries = new ArrayList<>(block.outcomes().size());
    for (int i = 0; i < block.outcomes().size(); i++) {
      Outcome outcome = block.outcomes().get(i);
      LogRecord record = committed.records().get(i);
      if (record.offset() != outcome.offset()) {
        throw new AssertionError("record " + record.offset() + " beside outcome " + outcome);
      }
      byte[] outcomeBytes = outcome.toBytes();
      entries.add(
          new Object[] {
            outcome.offset(),
            height,
            i,
            outcome.instructionId(),
            outcome.code().name(),
            outcome.isResubmission() ? outcome.originalOffset() : null,
            record.value(),
            outcomeBytes,
            MerkleTree.leafHash(record.value()).toBytes(),
            MerkleTree.leafHash(outcomeBytes).toBytes(),
            committed.kinds().get(i)
          });
    }
    jdbc.batchUpdate(
        "INSERT INTO entry (log_offset, height, position, instruction_id, code, original_offset,"
            + " record, outcome, entry_leaf, result_leaf, kind)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        entries);
    Map<List<String>, Integer> outcomes = new LinkedHashMap<>();
    for (int i = 0; i < block.outcomes().size(); i++) {
      String kind = committed.kinds().get(i);
      outcomes.merge(Arrays.asList(kind, block.outcomes().get(i).code().name()), 1, Integer::sum);
    }
    List<Object[]> counts = new ArrayList<>(outcomes.size());
    outcomes.forEach(
        (key, count) -> counts.add(new Object[] {height, key.get(0), key.get(1), count}));
    jdbc.batchUpdate(
        "INSERT INTO block_outcome (height, kind, code, count) VALUES (?, ?, ?, ?)", counts);
    List<Object[]> votes = new ArrayList<>(committed.votes().size());
    for (VoteArrivals.Arrival vote : committed.votes()) {
      votes.add(
          new Object[] {
            height,
            vote.validator(),
            vote.offset(),
            Timestamp.from(Instant.ofEpochMilli(vote.timestamp()))
          });
    }
    jdbc.batchUpdate(
        "INSERT INTO vote (height, validator, log_offset, arrived_at) VALUES (?, ?, ?, ?)", votes);
    List<Object[]> postings = new ArrayList<>(block.postings().size());
    for (Posting posting : block.postings()) {
      postings.add(
          new Object[] {
            height,
            posting.offset(),
            posting.instructionId(),
            posting.movement().name(),
            posting.reservation(),
            posting.debit(),
            posting.credit(),
            posting.asset(),
            posting.amount()
          });
    }
    jdbc.batchUpdate(
        "INSERT INTO posting (height, log_offset, instruction_id, movement, reservation, debit,"
            + " credit, asset, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        postings);
    List<Object[]> accounts = new ArrayList<>(block.changedAccounts().size());
    for (AccountView account : block.changedAccounts()) {
      accounts.add(
          new Object[] {
            account.id(),
            account.owner(),
            account.asset(),
            account.issuance(),
            account.overdraft(),
            account.postedDebits(),
            account.postedCredits(),
            account.pendingDebits(),
            account.pendingCredits(),
            height
          });
    }
    jdbc.batchUpdate(
        "INSERT INTO account (id, owner, asset, issuance, overdraft, posted_debits, posted_credits,"
            + " pending_debits, pending_credits, height) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET posted_debits = excluded.posted_debits,"
            + " posted_credits = excluded.posted_credits, pending_debits = excluded.pending_debits,"
            + " pending_credits = excluded.pending_credits, height = excluded.height",
        accounts);
    int progressed =
        jdbc.update(
            "UPDATE progress SET height = ?, log_next_offset = ?, votes_next_offset = ?"
                + " WHERE shard = ? AND height = ?",
            height,
            committed.logNextOffset(),
            committed.votesNextOffset(),
            committed.shard(),
            height - 1);
    if (progressed == 0) {
      // The first block, or another writer moved the head: the insert fails on the latter.
      jdbc.update(
          "INSERT INTO progress (shard, height, log_next_offset, votes_next_offset)"
              + " VALUES (?, ?, ?, ?)",
          committed.shard(),
          height,
          committed.logNextOffset(),
          committed.votesNextOffset());
    }
    jdbc.update(
        "INSERT INTO outbox (height, payload) VALUES (?, ?)", height, committed.finalizedEvent());
  }

  private void writeSnapshot(long height, long nextOffset, byte[] snapshot) {
    transactions.executeWithoutResult(
        transaction -> {
          jdbc.update(
              "INSERT INTO engine_snapshot (height, next_offset, state) VALUES (?, ?, ?)"
                  + " ON CONFLICT (height) DO NOTHING",
              height,
              nextOffset,
              snapshot);
          // Two are kept, so a damaged newest one is not the only one.
          jdbc.update(
              "DELETE FROM engine_snapshot WHERE height < (SELECT min(height) FROM"
                  + " (SELECT height FROM engine_snapshot ORDER BY height DESC LIMIT 2) newest)");
        });
  }

  @Override
  public void keep(Evidence evidence) {
    jdbc.update(
        "INSERT INTO evidence (kind, height, validator, description, computed, observed)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        evidence.kind(),
        evidence.height(),
        evidence.validator(),
        evidence.description(),
        evidence.computed(),
        evidence.observed());
  }
}
