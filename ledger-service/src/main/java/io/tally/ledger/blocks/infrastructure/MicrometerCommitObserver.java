package io.tally.ledger.blocks.infrastructure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.engine.BlockResult;
import io.tally.engine.Outcome;
import io.tally.ledger.blocks.application.CommitObserver;
import java.util.concurrent.TimeUnit;

/**
 * Metrics: {@code tally.ledger.blocks}, {@code tally.ledger.entries}, {@code
 * tally.ledger.rejections} by code, and {@code tally.ledger.append.to.commit} (from the broker's
 * append time of a block's last record to its commit).
 */
final class MicrometerCommitObserver implements CommitObserver {

  private final MeterRegistry registry;
  private final Timer appendToCommit;
  private final Timer write;

  MicrometerCommitObserver(MeterRegistry registry) {
    this.registry = registry;
    this.appendToCommit = Timer.builder("tally.ledger.append.to.commit").register(registry);
    this.write = Timer.builder("tally.ledger.commit.write").register(registry);
  }

  @Override
  public void committed(BlockResult block, long appendToCommitMs, long writeMs) {
    registry.counter("tally.ledger.blocks").increment();
    registry.counter("tally.ledger.entries").increment(block.outcomes().size());
    for (Outcome outcome : block.outcomes()) {
      if (!outcome.code().accepted()) {
        registry.counter("tally.ledger.rejections", "code", outcome.code().name()).increment();
      }
    }
    appendToCommit.record(appendToCommitMs, TimeUnit.MILLISECONDS);
    write.record(writeMs, TimeUnit.MILLISECONDS);
  }
}
