package io.tally.follower;

import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.PreVerified;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@link Engine#preVerify} (signature checks, the expensive part) over a batch of records in
 * chunks on an executor, and returns the results in log order for the sequential apply.
 */
public final class ParallelPreVerifier {

  private static final int CHUNK = 64;

  private final @Nullable ExecutorService verifiers;

  public ParallelPreVerifier(ExecutorService verifiers) {
    this.verifiers = verifiers;
  }

  private ParallelPreVerifier() {
    this.verifiers = null;
  }

  /** Pre-verifies on the caller's thread: for the simulator, which runs everything on one. */
  public static ParallelPreVerifier sequential() {
    return new ParallelPreVerifier();
  }

  /** Whether {@link #start} works on other threads (false: on the caller's, when it is called). */
  public boolean parallel() {
    return verifiers != null;
  }

  /**
   * Pre-verifies {@code batch} and returns the results in the same order.
   *
   * @throws InterruptedException if interrupted while waiting for the chunks
   */
  public List<PreVerified> preVerify(Engine engine, List<LogRecord> batch)
      throws InterruptedException {
    return start(engine, batch).await();
  }

  /**
   * Starts pre-verifying {@code batch} on the executor and returns at once, so that the caller can
   * apply the previous batch meanwhile ({@link Engine#preVerify} is safe beside the apply step).
   * Sequential, it verifies before it returns.
   */
  public Verifying start(Engine engine, List<LogRecord> batch) {
    ExecutorService verifiers = this.verifiers;
    List<Future<List<PreVerified>>> chunks = new ArrayList<>();
    if (verifiers == null) {
      List<PreVerified> verified = new ArrayList<>(batch.size());
      for (LogRecord record : batch) {
        verified.add(engine.preVerify(record));
      }
      chunks.add(CompletableFuture.completedFuture(verified));
      return new Verifying(batch, chunks);
    }
    for (int from = 0; from < batch.size(); from += CHUNK) {
      List<LogRecord> chunk = batch.subList(from, Math.min(batch.size(), from + CHUNK));
      chunks.add(verifiers.submit(() -> chunk.stream().map(engine::preVerify).toList()));
    }
    return new Verifying(batch, chunks);
  }

  /** A batch being pre-verified: its records, and its results once {@link #await} returns. */
  public static final class Verifying {

    private final List<LogRecord> batch;
    private final List<Future<List<PreVerified>>> chunks;

    private Verifying(List<LogRecord> batch, List<Future<List<PreVerified>>> chunks) {
      this.batch = batch;
      this.chunks = chunks;
    }

    /** The records, in log order. */
    public List<LogRecord> batch() {
      return batch;
    }

    /**
     * The results in the records' order, once every chunk is done.
     *
     * @throws InterruptedException if interrupted while waiting for the chunks
     */
    public List<PreVerified> await() throws InterruptedException {
      List<PreVerified> verified = new ArrayList<>(batch.size());
      for (Future<List<PreVerified>> chunk : chunks) {
        try {
          verified.addAll(chunk.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("pre-verification failed", e.getCause());
        } catch (InterruptedException e) {
          cancel();
          throw e;
        }
      }
      return verified;
    }

    /** Stops the chunks not started yet (an attempt that ends leaves no work behind). */
    public void cancel() {
      for (Future<List<PreVerified>> chunk : chunks) {
        chunk.cancel(false);
      }
    }
  }
}
