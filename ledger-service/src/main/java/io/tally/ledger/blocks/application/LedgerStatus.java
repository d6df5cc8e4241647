package io.tally.ledger.blocks.application;

import java.util.ArrayList;
import java.util.List;
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
  }

  public void computed(long height) {
    computedHeight = height;
  }

  public void lag(long records) {
    lag = records;
  }

  /** Why the next block is not committed yet, or null. */
  public void waiting(@Nullable String reason) {
    waiting = reason;
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
