package io.tally.validator.voting.infrastructure;

import io.tally.validator.voting.application.ValidatorLoop;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.springframework.context.SmartLifecycle;

/** Runs the validator loop and the vote watcher on their own threads for the application's life. */
final class ValidatorRunner implements SmartLifecycle {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final ValidatorLoop loop;
  private final VoteWatcher watcher;
  private final ExecutorService verifiers;
  private Thread loopThread = new Thread(() -> {});
  private Thread watcherThread = new Thread(() -> {});
  private volatile boolean running;

  ValidatorRunner(ValidatorLoop loop, VoteWatcher watcher, ExecutorService verifiers) {
    this.loop = loop;
    this.watcher = watcher;
    this.verifiers = verifiers;
  }

  @Override
  public void start() {
    loopThread = new Thread(loop, "validator-loop");
    watcherThread = new Thread(watcher, "vote-watcher");
    loopThread.start();
    watcherThread.start();
    running = true;
  }

  @Override
  public void stop() {
    loop.stop();
    watcher.stop();
    try {
      loopThread.join(STOP_TIMEOUT.toMillis());
      watcherThread.join(STOP_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    verifiers.shutdownNow();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
