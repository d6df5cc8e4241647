package io.tally.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.client.Instruction;
import io.tally.client.Leg;
import io.tally.client.SignedInstruction;
import io.tally.client.TallyClient;
import io.tally.client.TallyException;
import io.tally.protocol.keys.SigningKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Settlements poured in through the gateway on several threads while a fault strikes a third of the
 * way in: a-eur pays 3 to b-eur, b-eur pays 2 back, so the signed total shows each settlement once.
 * Records every submission the gateway accepted (202) and those whose answer was lost (an I/O error
 * or a 5xx while a service was down).
 */
final class FaultUnderLoad {

  /** What the load saw. */
  record Result(
      Map<String, Long> accepted,
      Map<String, Long> unanswered,
      int acceptedBeforeFault,
      long faultAtNanos) {}

  private static final int THREADS = 4;

  /** Submissions per second per thread: load, but within what 2 cores finalize meanwhile. */
  private static final int RATE_PER_THREAD = 25;

  private FaultUnderLoad() {}

  static Result run(
      TallyClient client,
      SigningKey bankA,
      SigningKey bankB,
      String prefix,
      Duration load,
      ThrowingRunnable fault)
      throws Exception {
    Map<String, Long> accepted = new ConcurrentHashMap<>();
    Map<String, Long> unanswered = new ConcurrentHashMap<>();
    List<Throwable> refused = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread worker =
          new Thread(
              () -> {
                long n = 0;
                long pace = 1_000_000_000L / RATE_PER_THREAD;
                long next = System.nanoTime();
                while (running.get()) {
                  n++;
                  String id = prefix + "-" + thread + "-" + n;
                  boolean fromA = n % 2 == 1;
                  long delta = fromA ? -3 : 2;
                  SignedInstruction instruction =
                      Instruction.settle(
                              id,
                              System.currentTimeMillis() + 600_000,
                              List.of(
                                  fromA
                                      ? Leg.of("a-eur", "b-eur", "EUR", 3)
                                      : Leg.of("b-eur", "a-eur", "EUR", 2)))
                          .sign(List.of(fromA ? bankA : bankB));
                  try {
                    client.submit(instruction);
                    accepted.put(id, delta);
                  } catch (TallyException e) {
                    if (e.kind() == TallyException.Kind.REFUSED) {
                      refused.add(e);
                    } else {
                      unanswered.put(id, delta);
                    }
                  }
                  next += pace;
                  long sleep = next - System.nanoTime();
                  if (sleep > 0) {
                    try {
                      Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
              },
              prefix + "-load-" + t);
      worker.start();
      threads.add(worker);
    }
    long start = System.nanoTime();
    Thread.sleep(load.toMillis() / 3);
    int acceptedBeforeFault = accepted.size();
    long faultAt = System.nanoTime();
    fault.run();
    Thread.sleep(Math.max(0, load.toMillis() - (System.nanoTime() - start) / 1_000_000));
    running.set(false);
    for (Thread thread : threads) {
      thread.join(30_000);
    }
    System.out.println(
        "[system-test] "
            + prefix
            + ": load done: "
            + accepted.size()
            + " accepted, "
            + unanswered.size()
            + " unanswered, "
            + refused.size()
            + " refused");
    assertThat(refused)
        .as(
            "refused submissions, the first: %s",
            refused.stream().limit(3).map(Throwable::getMessage).toList())
        .isEmpty();
    // Load on both sides of the fault; how much is the benchmarks' business, not this test's.
    assertThat(acceptedBeforeFault).isGreaterThan(THREADS);
    assertThat(accepted.size() - acceptedBeforeFault).isGreaterThan(THREADS);
    return new Result(accepted, unanswered, acceptedBeforeFault, faultAt);
  }

  /** A fault: may throw. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
