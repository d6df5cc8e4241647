package io.tally.ledger.blocks.application;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs writes on its own thread, one at a time, in the order submitted, with a bounded queue.
 *
 * <p>The first write that throws, an {@link Error} included, is recorded and every write after it
 * is dropped: the submitter learns of it on its next {@link #submit} or {@link #rethrowFailure} and
 * starts again from what is durable. So a failed write can neither be skipped over nor leave the
 * submitter waiting for a queue that nobody empties. Closing runs what is queued unless a write
 * failed.
 *
 * <p>With a queue of 0 there is no thread: each write runs inside {@link #submit}, on the
 * submitter's thread (the simulator's single thread).
 */
final class OrderedWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OrderedWriter.class);
  private static final Duration IDLE = Duration.ofMillis(50);

  private final @Nullable BlockingQueue<Runnable> queue;
  private final Duration drainMax;
  private final @Nullable Thread thread;
  private volatile @Nullable Throwable failure;
  private volatile boolean closing;

  OrderedWriter(String threadName, int queuedMax, Duration drainMax) {
    this.drainMax = drainMax;
    if (queuedMax == 0) {
      this.queue = null;
      this.thread = null;
      return;
    }
    BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(queuedMax);
    this.queue = queue;
    Thread thread = new Thread(() -> run(queue), threadName);
    this.thread = thread;
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a write, waiting while the queue is full; throws if a write failed meanwhile. */
  void submit(Runnable write) throws InterruptedException {
    rethrowFailure();
    BlockingQueue<Runnable> queue = this.queue;
    if (queue == null) {
      write.run();
      return;
    }
    while (!queue.offer(write, IDLE.toMillis(), TimeUnit.MILLISECONDS)) {
      rethrowFailure();
    }
  }

  /**
   * Throws {@link IllegalStateException}, with the failure as its cause, if a write failed.
   *
   * @throws IllegalStateException if a write failed
   */
  void rethrowFailure() {
    Throwable failed = failure;
    if (failed != null) {
      throw new IllegalStateException("a queued write failed", failed);
    }
  }

  private void run(BlockingQueue<Runnable> queue) {
    try {
      while (true) {
        Runnable write = queue.poll(IDLE.toMillis(), TimeUnit.MILLISECONDS);
        if (write == null) {
          if (closing) {
            return;
          }
        } else if (failure == null) {
          try {
            write.run();
          } catch (RuntimeException | Error e) {
            // An Error too: the thread must outlive it, or the submitter would wait forever.
            failure = e;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing = true;
    Thread thread = this.thread;
    if (thread == null) {
      return;
    }
    try {
      thread.join(drainMax.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("{} did not finish its queued writes; interrupting it", thread.getName());
      thread.interrupt();
    }
  }
}
