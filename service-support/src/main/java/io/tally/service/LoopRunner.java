package io.tally.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a service's loops, each on its own named thread, for the application's life; on stop asks
 * each to finish, waits for them (bounded) and shuts the verifier pool down.
 */
public final class LoopRunner implements SmartLifecycle {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /** A loop: its thread's name, what runs, and how to ask it to return. */
  public record Loop(String name, Runnable body, Runnable stop) {}

  private final List<Loop> loops;
  private final ExecutorService verifiers;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  /**
   * Runs {@code loops} once started; {@code verifiers} is shut down after they stopped.
   *
   * @param loops started in this order
   */
  public LoopRunner(List<Loop> loops, ExecutorService verifiers) {
    this.loops = List.copyOf(loops);
    this.verifiers = verifiers;
  }

  @Override
  public synchronized void start() {
    for (Loop loop : loops) {
      Thread thread = new Thread(loop.body(), loop.name());
      threads.add(thread);
      thread.start();
    }
    running = true;
  }

  @Override
  public synchronized void stop() {
    loops.forEach(loop -> loop.stop().run());
    try {
      for (Thread thread : threads) {
        thread.join(STOP_TIMEOUT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    threads.clear();
    verifiers.shutdownNow();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
