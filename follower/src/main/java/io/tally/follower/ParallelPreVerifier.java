package io.tally.follower;

import io.tally.engine.Engine;
import io.tally.engine.LogRecord;
import io.tally.engine.PreVerified;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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

  /**
   * Pre-verifies {@code batch} and returns the results in the same order.
   *
   * @throws InterruptedException if interrupted while waiting for the chunks
   */
  public List<PreVerified> preVerify(Engine engine, List<LogRecord> batch)
      throws InterruptedException {
    ExecutorService verifiers = this.verifiers;
    if (verifiers == null) {
      List<PreVerified> verified = new ArrayList<>(batch.size());
      for (LogRecord record : batch) {
        verified.add(engine.preVerify(record));
      }
      return verified;
    }
    List<Callable<List<PreVerified>>> chunks = new ArrayList<>();
    for (int from = 0; from < batch.size(); from += CHUNK) {
      List<LogRecord> chunk = batch.subList(from, Math.min(batch.size(), from + CHUNK));
      chunks.add(() -> chunk.stream().map(engine::preVerify).toList());
    }
    List<PreVerified> verified = new ArrayList<>(batch.size());
    for (Future<List<PreVerified>> chunk : verifiers.invokeAll(chunks)) {
      try {
        verified.addAll(chunk.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("pre-verification failed", e.getCause());
      }
    }
    return verified;
  }
}
