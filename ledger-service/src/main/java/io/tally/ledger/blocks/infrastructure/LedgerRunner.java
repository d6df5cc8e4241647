package io.tally.ledger.blocks.infrastructure;

import io.tally.ledger.blocks.application.CommitCertifiedBlocks;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.springframework.context.SmartLifecycle;

/** Runs the commit loop and the outbox relay on their own threads for the application's life. */
final class LedgerRunner implements SmartLifecycle {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final CommitCertifiedBlocks loop;
  private final OutboxRelay relay;
  private final ExecutorService verifiers;
  private Thread loopThread = new Thread(() -> {});
  private Thread relayThread = new Thread(() -> {});
  private volatile boolean running;

  LedgerRunner(CommitCertifiedBlocks loop, OutboxRelay relay, ExecutorService verifiers) {
    this.loop = loop;
    this.relay = relay;
    this.verifiers = verifiers;
  }

  @Override
  public void start() {
    loopThread = new Thread(loop, "ledger-loop");
    relayThread = new Thread(relay, "outbox-relay");
    loopThread.start();
    relayThread.start();
    running = true;
  }

  @Override
  public void stop() {
    loop.stop();
    relay.stop();
    try {
      loopThread.join(STOP_TIMEOUT.toMillis());
      relayThread.join(STOP_TIMEOUT.toMillis());
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
