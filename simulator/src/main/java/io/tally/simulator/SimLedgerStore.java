package io.tally.simulator;

import io.tally.engine.AccountView;
import io.tally.engine.LogRecord;
import io.tally.ledger.blocks.application.LedgerStore;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.codec.Hash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The ledger's database on a simulated disk: a commit is one transaction (all of it or none), the
 * snapshot is written after it; a crash can fall before the transaction, or between it and the
 * snapshot. It survives the ledger's crashes.
 */
class SimLedgerStore implements LedgerStore {

  /** Where the next commit crashes, if it does. */
  enum Crash {
    NONE,
    BEFORE_TRANSACTION,
    AFTER_TRANSACTION
  }

  /** The ledger process died inside a commit. */
  static final class Crashed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crashed(String where) {
      super("crashed " + where);
    }
  }

  private final Invariants invariants;
  private Progress progress = Progress.START;
  private final TreeMap<Long, Snapshot> snapshots = new TreeMap<>();
  private final TreeMap<Long, BlockHeader> headers = new TreeMap<>();
  private final TreeMap<Long, List<LogRecord>> records = new TreeMap<>();
  private final Map<String, AccountView> balances = new HashMap<>();
  final List<Evidence> evidence = new ArrayList<>();
  // The outbox: each committed block's finality event, in height order, and how many are sent.
  final List<byte[]> outbox = new ArrayList<>();
  int outboxSent;
  Crash nextCommit = Crash.NONE;
  int crashes;

  SimLedgerStore(Invariants invariants) {
    this.invariants = invariants;
  }

  @Override
  public Progress progress(int shard) {
    return progress;
  }

  @Override
  public Optional<Snapshot> snapshotAtOrBelow(long height) {
    return Optional.ofNullable(snapshots.floorEntry(height)).map(Map.Entry::getValue);
  }

  @Override
  public Optional<Hash> headerHash(long height) {
    return Optional.ofNullable(headers.get(height)).map(BlockHeader::hash);
  }

  @Override
  public void commit(CommittedBlock block) {
    if (nextCommit == Crash.BEFORE_TRANSACTION) {
      nextCommit = Crash.NONE;
      crashes++;
      throw new Crashed("before the commit's transaction");
    }
    BlockHeader header = block.block().header();
    if (header.height() != progress.height() + 1) {
      throw new Violation(
          "the ledger committed height " + header.height() + " after " + progress.height());
    }
    headers.put(header.height(), header);
    records.put(header.height(), List.copyOf(block.records()));
    for (AccountView account : block.block().changedAccounts()) {
      balances.put(account.id(), account);
    }
    progress = new Progress(header.height(), block.logNextOffset(), block.votesNextOffset());
    outbox.add(block.finalizedEvent());
    invariants.committed(header, block.block().outcomes(), balances);
    if (nextCommit == Crash.AFTER_TRANSACTION) {
      nextCommit = Crash.NONE;
      crashes++;
      throw new Crashed("after the commit's transaction, before its snapshot");
    }
    Supplier<byte[]> state = block.snapshot();
    if (state != null) {
      snapshots.put(header.height(), snapshot(header.height(), block.logNextOffset(), state.get()));
    }
  }

  /** The snapshot as stored; a planted bug may store another next offset. */
  Snapshot snapshot(long height, long nextOffset, byte[] state) {
    return new Snapshot(height, nextOffset, state);
  }

  @Override
  public void keep(Evidence found) {
    evidence.add(found);
  }

  long height() {
    return progress.height();
  }

  Map<String, AccountView> balances() {
    return balances;
  }

  Map<Long, List<LogRecord>> records() {
    return records;
  }

  Map<Long, BlockHeader> headers() {
    return headers;
  }
}
