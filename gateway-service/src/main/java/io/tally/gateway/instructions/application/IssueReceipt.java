package io.tally.gateway.instructions.application;

import io.tally.engine.Outcome;
import io.tally.protocol.VerificationException;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.receipt.Receipt;
import io.tally.service.CertifiedReplica;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Issues the receipt of a final entry (an instruction or a governance change, DESIGN section 4):
 * the record and proofs come from a ledger replica, which is not trusted; the outcome is the one
 * this gateway's certified replica holds for the id (its exact bytes are the {@code results} leaf),
 * and the whole receipt is verified against the genesis ({@link Receipt#verify}) before it is
 * issued, with the finality sentence the verifier derives.
 *
 * <p>Three answers besides a receipt, kept apart because a client acts differently on each: the id
 * is not final ({@link NotFinal}); the ledger has not committed the block yet or cannot be reached
 * ({@link Pending}: ask again shortly); the ledger's parts do not check out ({@link Invalid}:
 * asking this ledger again gives the same parts, so nobody should retry).
 */
public final class IssueReceipt implements AutoCloseable {

  /** No certified block holds the id (not submitted, or not final yet). */
  public static final class NotFinal extends Exception {
    private static final long serialVersionUID = 1L;

    NotFinal(String detail) {
      super(detail);
    }
  }

  /** The ledger has not committed the entry yet, or did not answer: a later request may succeed. */
  public static final class Pending extends Exception {
    private static final long serialVersionUID = 1L;

    Pending(String detail, Throwable cause) {
      super(detail, cause);
    }

    Pending(String detail) {
      super(detail);
    }
  }

  /** The ledger's parts do not verify: no retry against this ledger can make them verify. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String detail, Throwable cause) {
      super(detail, cause);
    }
  }

  /** Pauses between attempts within {@link #within}: 10 ms doubling to this. */
  private static final long PAUSE_MAX_MS = 200;

  /** Attempts queued beyond this are answered without a receipt (as when the ledger is late). */
  static final int QUEUED_MAX = 10_000;

  private final CertifiedReplica replica;
  private final LedgerEntries ledger;
  private final Genesis genesis;

  /** Where attempts within {@link #within} run: a few threads, a bounded queue, nobody sleeps. */
  private final ThreadPoolExecutor attempts =
      new ThreadPoolExecutor(
          4,
          4,
          30,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(QUEUED_MAX),
          runnable -> {
            Thread thread = new Thread(runnable, "gateway-receipts");
            thread.setDaemon(true);
            return thread;
          });

  public IssueReceipt(CertifiedReplica replica, LedgerEntries ledger, Genesis genesis) {
    this.replica = replica;
    this.ledger = ledger;
    this.genesis = genesis;
  }

  /**
   * The verified receipt of {@code id}, with the verifier's finality sentence.
   *
   * @throws NotFinal no certified block holds the id
   * @throws Pending the ledger has not committed it yet or cannot be reached
   * @throws Invalid the ledger's parts do not verify against the genesis and the certified outcome
   */
  public Receipt receipt(String id) throws NotFinal, Pending, Invalid {
    Outcome outcome =
        replica
            .outcome(id)
            .orElseThrow(
                () ->
                    new NotFinal(
                        "no certified block holds instruction "
                            + id
                            + " (not submitted, or not final yet)"));
    Optional<LedgerEntries.Parts> found;
    try {
      found = ledger.entry(id, outcome.offset());
    } catch (LedgerEntries.Unreachable e) {
      throw new Pending(String.valueOf(e.getMessage()), e);
    } catch (LedgerEntries.Unreadable e) {
      throw new Invalid("the ledger's answer is not an entry", e);
    }
    LedgerEntries.Parts parts =
        found.orElseThrow(
            () ->
                new Pending(
                    "the ledger has not committed the entry of "
                        + id
                        + " at offset "
                        + outcome.offset()
                        + " yet"));
    Receipt receipt =
        new Receipt(
            id,
            parts.record(),
            outcome.toBytes(), // the certified outcome: its bytes are the results leaf
            parts.header(),
            parts.certificate(),
            parts.index(),
            parts.treeSize(),
            parts.entriesProof(),
            parts.resultsProof(),
            "");
    try {
      return receipt.withFinality(receipt.verify(genesis).finality());
    } catch (VerificationException e) {
      throw new Invalid(
          "the ledger's parts of the receipt do not check out: "
              + e.reason()
              + " "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The verified receipt once the ledger has committed the block, asked again with growing pauses
   * (10 ms doubling to 200 ms) for at most {@code wait}; empty when the wait runs out, the ledger's
   * parts do not verify, or too many attempts are queued. No thread sleeps meanwhile.
   */
  public CompletableFuture<Optional<Receipt>> within(String id, Duration wait) {
    return attempt(id, System.nanoTime() + wait.toNanos(), 10);
  }

  private CompletableFuture<Optional<Receipt>> attempt(String id, long deadline, long pauseMs) {
    CompletableFuture<Attempt> tried;
    try {
      tried = CompletableFuture.supplyAsync(() -> now(id), attempts);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(Optional.empty()); // too many queued: no receipt
    }
    return tried
        .exceptionally(e -> Attempt.GIVE_UP)
        .thenCompose(
            attempt -> {
              long leftMs = (deadline - System.nanoTime()) / 1_000_000;
              if (attempt.receipt().isPresent() || !attempt.again() || leftMs <= 0) {
                return CompletableFuture.completedFuture(attempt.receipt());
              }
              // The pause runs on the common pool's delayer, which never refuses; the next attempt
              // goes to the bounded pool (and is answered without a receipt when it is full).
              Executor later =
                  CompletableFuture.delayedExecutor(
                      Math.min(pauseMs, leftMs), TimeUnit.MILLISECONDS);
              return CompletableFuture.supplyAsync(() -> id, later)
                  .thenCompose(same -> attempt(same, deadline, Math.min(pauseMs * 2, PAUSE_MAX_MS)))
                  .exceptionally(e -> Optional.empty());
            });
  }

  /** One attempt's result: a receipt, or none and whether asking again may help. */
  private record Attempt(Optional<Receipt> receipt, boolean again) {
    static final Attempt GIVE_UP = new Attempt(Optional.empty(), false);
  }

  private Attempt now(String id) {
    try {
      return new Attempt(Optional.of(receipt(id)), false);
    } catch (Pending | NotFinal e) {
      return new Attempt(Optional.empty(), true);
    } catch (Invalid e) {
      return Attempt.GIVE_UP;
    }
  }

  @Override
  public void close() {
    attempts.shutdownNow();
  }
}
