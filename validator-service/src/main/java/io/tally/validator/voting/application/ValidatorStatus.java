package io.tally.validator.voting.application;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** What the validator reports about itself: written by its threads, read by health checks. */
public final class ValidatorStatus {

  private static final int ALARMS_KEPT = 20;

  private volatile long lastHeight;
  private volatile long lag = -1;
  private volatile boolean running;
  private volatile @Nullable String lastError;
  private final CopyOnWriteArrayList<String> alarms = new CopyOnWriteArrayList<>();
  private volatile boolean equivocationSeen;
  private volatile @Nullable String finalizationStalled;

  public long lastHeight() {
    return lastHeight;
  }

  public long lag() {
    return lag;
  }

  public boolean running() {
    return running;
  }

  public @Nullable String lastError() {
    return lastError;
  }

  /** The latest alarms, oldest first. */
  public List<String> alarms() {
    return List.copyOf(alarms);
  }

  public boolean equivocationSeen() {
    return equivocationSeen;
  }

  /** Why the newest voted height is not final (fewer than q votes seen), or null when it is. */
  public @Nullable String finalizationStalled() {
    return finalizationStalled;
  }

  public void finalizationStalled(@Nullable String why) {
    finalizationStalled = why;
  }

  void started() {
    running = true;
    lastError = null;
  }

  void stopped() {
    running = false;
  }

  void failed(Exception e) {
    running = false;
    lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  void voted(long height) {
    lastHeight = height;
  }

  void lag(long lag) {
    this.lag = lag;
  }

  /** Adds an alarm (bounded: the oldest ones go). */
  public void alarm(String alarm) {
    alarms.add(Instant.now() + " " + alarm);
    while (alarms.size() > ALARMS_KEPT) {
      alarms.remove(0);
    }
  }

  public void equivocation(String alarm) {
    equivocationSeen = true;
    alarm(alarm);
  }
}
