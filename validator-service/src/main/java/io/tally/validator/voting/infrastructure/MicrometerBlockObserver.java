package io.tally.validator.voting.infrastructure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tally.engine.BlockResult;
import io.tally.engine.Outcome;
import io.tally.validator.voting.application.BlockObserver;
import java.util.concurrent.TimeUnit;

/**
 * Metrics: {@code tally.validator.blocks}, {@code tally.validator.entries}, {@code
 * tally.validator.rejections} by code, and {@code tally.validator.append.to.vote} (from the
 * broker's append time of a block's last record to the acknowledged vote).
 */
final class MicrometerBlockObserver implements BlockObserver {

  private final MeterRegistry registry;
  private final Timer appendToVote;

  MicrometerBlockObserver(MeterRegistry registry) {
    this.registry = registry;
    this.appendToVote = Timer.builder("tally.validator.append.to.vote").register(registry);
  }

  @Override
  public void voted(BlockResult result, long voteLatencyMs) {
    registry.counter("tally.validator.blocks").increment();
    registry.counter("tally.validator.entries").increment(result.outcomes().size());
    for (Outcome outcome : result.outcomes()) {
      if (!outcome.code().accepted()) {
        registry.counter("tally.validator.rejections", "code", outcome.code().name()).increment();
      }
    }
    appendToVote.record(voteLatencyMs, TimeUnit.MILLISECONDS);
  }
}
