package io.tally.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a service's loops, each on its own named thread, for the application's life; on stop asks
 * each to finish, waits for them (bounded) and shuts the verifier pool down.
 *
 * <p>A loop retries what it can recover from itself. Anything that escapes it (an {@link Error}
 * such as running out of memory, or a broken invariant) would leave a process that answers health
 * checks but no longer does its work; instead the process exits with {@link #EXIT_LOOP_DIED}, so
 * that its supervisor restarts it and it resumes from its stored progress.
 */
public final class LoopRunner implements SmartLifecycle {

  /** The process's exit status when a loop died (EX_SOFTWARE of sysexits.h). */
  public static final int EXIT_LOOP_DIED = 70;

  private static final Logger log = LoggerFactory.getLogger(LoopRunner.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /** A loop: its thread's name, what runs, and how to ask it to return. */
  public record Loop(String name, Runnable body, Runnable stop) {}

  private final List<Loop> loops;
  private final ExecutorService verifiers;
  private final IntConsumer exit;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running;

  /**
   * Runs {@code loops} once started; {@code verifiers} is shut down after they stopped.
   *
   * @param loops started in this order
   */
  public LoopRunner(List<Loop> loops, ExecutorService verifiers) {
    this(loops, verifiers, System::exit);
  }

  /** As {@link #LoopRunner(List, ExecutorService)}; {@code exit} ends the process. */
  LoopRunner(List<Loop> loops, ExecutorService verifiers, IntConsumer exit) {
    this.loops = List.copyOf(loops);
    this.verifiers = verifiers;
    this.exit = exit;
  }

  @Override
  public synchronized void start() {
    for (Loop loop : loops) {
      Thread thread = new Thread(() -> runToTheEnd(loop), loop.name());
      threads.add(thread);
      thread.start();
    }
    running = true;
  }

  private void runToTheEnd(Loop loop) {
    try {
      loop.body().run();
    } catch (RuntimeException | Error e) {
      log.error("loop {} died; the process exits to be restarted", loop.name(), e);
      exit.accept(EXIT_LOOP_DIED);
    }
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
