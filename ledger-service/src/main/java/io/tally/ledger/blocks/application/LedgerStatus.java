package io.tally.ledger.blocks.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** What the ledger is doing, for health and tests; written by the loop, read by anyone. */
public final class LedgerStatus {

  private static final int ALARMS_KEPT = 20;

  private volatile boolean running;
  private volatile long committedHeight;
  private volatile long computedHeight;
  private volatile long lag = -1;
  private volatile @Nullable String waiting;
  private volatile @Nullable String halted;
  private volatile @Nullable String lastError;
  private final List<String> alarms = new ArrayList<>();
  private final Map<String, LastVote> lastVotes = new ConcurrentHashMap<>();
  private volatile @Nullable Waiting waitingFor;

  /** A validator's newest vote the ledger read: its height and the votes topic's timestamp. */
  public record LastVote(long height, long timestamp) {}

  /**
   * The block the ledger waits votes for.
   *
   * @param height its height
   * @param voters the validators that voted for the header this ledger computed there
   * @param since when the ledger began waiting for it (its clock, milliseconds)
   */
  public record Waiting(long height, Set<String> voters, long since) {}

  public void started(long committed) {
    committedHeight = committed;
    running = true;
    lastError = null;
  }

  public void stopped() {
    running = false;
  }

  public void failed(Throwable error) {
    running = false;
    lastError = error.toString();
  }

  /** The ledger refuses to go on: a quorum certified a header it did not compute. */
  public void halt(String reason) {
    halted = reason;
    running = false;
  }

  public void committed(long height) {
    committedHeight = height;
    waiting = null;
    Waiting current = waitingFor;
    if (current != null && current.height() <= height) {
      waitingFor = null;
    }
  }

  public void computed(long height) {
    computedHeight = height;
  }

  public void lag(long records) {
    lag = records;
  }

  /** Why the next block, at {@code height}, is not committed yet; {@code now} on its clock. */
  public void waiting(String reason, long height, Set<String> voters, long now) {
    waiting = reason;
    Waiting current = waitingFor;
    long since = current != null && current.height() == height ? current.since() : now;
    waitingFor = new Waiting(height, Set.copyOf(voters), since);
  }

  /** A validator's vote for {@code height} was read. */
  public void voted(String validator, long height, long timestamp) {
    lastVotes.merge(
        validator,
        new LastVote(height, timestamp),
        (old, vote) -> vote.height() >= old.height() ? vote : old);
  }

  public synchronized void alarm(String alarm) {
    alarms.add(alarm);
    while (alarms.size() > ALARMS_KEPT) {
      alarms.remove(0);
    }
  }

  public boolean running() {
    return running;
  }

  public long committedHeight() {
    return committedHeight;
  }

  public long computedHeight() {
    return computedHeight;
  }

  public long lag() {
    return lag;
  }

  public @Nullable String waiting() {
    return waiting;
  }

  /** The block the ledger waits votes for, or null when it waits for none. */
  public @Nullable Waiting waitingFor() {
    return waitingFor;
  }

  /** Each validator's newest vote read since the ledger started, by validator id. */
  public Map<String, LastVote> lastVotes() {
    return Map.copyOf(lastVotes);
  }

  public @Nullable String halted() {
    return halted;
  }

  public @Nullable String lastError() {
    return lastError;
  }

  public synchronized List<String> alarms() {
    return List.copyOf(alarms);
  }
}
