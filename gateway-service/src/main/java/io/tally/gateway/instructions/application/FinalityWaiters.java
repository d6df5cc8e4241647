package io.tally.gateway.instructions.application;

import io.tally.engine.BlockResult;
import io.tally.engine.Outcome;
import io.tally.service.CertifiedReplica;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requests waiting for an instruction to become final ({@code Prefer: wait}), woken by the
 * certified replica when a block that holds it is certified, instead of each polling.
 */
public final class FinalityWaiters {

  private final CertifiedReplica replica;
  private final Map<String, CompletableFuture<Outcome>> waiting = new ConcurrentHashMap<>();

  public FinalityWaiters(CertifiedReplica replica) {
    this.replica = replica;
    replica.onCertified(this::certified);
  }

  /**
   * The instruction's certified outcome, waiting up to {@code wait} for it.
   *
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public Optional<Outcome> await(String instructionId, Duration wait) throws InterruptedException {
    CompletableFuture<Outcome> future =
        waiting.computeIfAbsent(instructionId, id -> new CompletableFuture<>());
    // Registered first, then checked: a block certified in between is seen by one of the two.
    Optional<Outcome> already = replica.outcome(instructionId);
    if (already.isPresent()) {
      future.complete(already.get());
    }
    try {
      return Optional.of(future.get(wait.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a finality waiter failed", e);
    } finally {
      // Also after a timeout, so nothing accumulates. A second request waiting on the same id at
      // that moment may then time out too and answer 202; its client asks the status again.
      waiting.remove(instructionId, future);
    }
  }

  private void certified(BlockResult block) {
    if (waiting.isEmpty()) {
      return;
    }
    for (Outcome outcome : block.outcomes()) {
      String id = outcome.instructionId();
      if (id != null) {
        CompletableFuture<Outcome> future = waiting.get(id);
        if (future != null) {
          // The first outcome the replica recorded for the id (a resubmission reports it too).
          future.complete(replica.outcome(id).orElse(outcome));
        }
      }
    }
  }
}
