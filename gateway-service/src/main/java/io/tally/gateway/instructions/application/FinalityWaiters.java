package io.tally.gateway.instructions.application;

import io.tally.engine.Outcome;
import io.tally.service.CertifiedBlock;
import io.tally.service.CertifiedReplica;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
   * The instruction's certified outcome once a certified block holds it, or empty when {@code wait}
   * passes first. Nothing blocks: the future completes on the replica's thread (keep what follows
   * it short, or hand it to an executor) or on the JDK's timer.
   */
  public CompletableFuture<Optional<Outcome>> whenFinal(String instructionId, Duration wait) {
    CompletableFuture<Outcome> future =
        waiting.computeIfAbsent(instructionId, id -> new CompletableFuture<>());
    // Registered first, then checked: a block certified in between is seen by one of the two.
    replica.outcome(instructionId).ifPresent(future::complete);
    return future
        .thenApply(Optional::of)
        .completeOnTimeout(Optional.empty(), wait.toNanos(), TimeUnit.NANOSECONDS)
        // Also after a timeout, so nothing accumulates. A second request waiting on the same id at
        // that moment may then time out too and answer 202; its client asks the status again.
        .whenComplete((outcome, failure) -> waiting.remove(instructionId, future));
  }

  private void certified(CertifiedBlock block) {
    if (waiting.isEmpty()) {
      return;
    }
    for (Outcome outcome : block.result().outcomes()) {
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
