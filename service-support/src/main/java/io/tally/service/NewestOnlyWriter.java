package io.tally.service;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs writes on one background thread, at most one waiting: a newer write replaces the waiting
 * one. For engine snapshots, where only the newest matters and the loop that takes them must not
 * wait for a multi-megabyte insert. A failed write is logged; the next one tries again.
 */
public final class NewestOnlyWriter {

  private static final Logger log = LoggerFactory.getLogger(NewestOnlyWriter.class);

  private final ThreadPoolExecutor executor;

  public NewestOnlyWriter(String threadName) {
    this.executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1),
            runnable -> {
              Thread thread = new Thread(runnable, threadName);
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.DiscardOldestPolicy());
  }

  /** Queues {@code write}, replacing a queued one; {@code what} names it in the log on failure. */
  public void submit(String what, Runnable write) {
    executor.execute(
        () -> {
          try {
            write.run();
          } catch (RuntimeException e) {
            log.warn("{} not stored; the next one will be", what, e);
          }
        });
  }
}
