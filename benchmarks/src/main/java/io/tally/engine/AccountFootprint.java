package io.tally.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap bytes per account: builds an engine with {@code args[0]} accounts (default 1,000,000) and
 * compares the heap in use after full collections before and after. Target: at most 1 KiB.
 *
 * <pre>java -Xmx4g -cp benchmarks/target/benchmarks.jar io.tally.engine.AccountFootprint</pre>
 */
public final class AccountFootprint {

  private AccountFootprint() {}

  public static void main(String[] args) {
    int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = usedAfterGc(memory);
    BenchWorld world = new BenchWorld(accounts / 4, false);
    long after = usedAfterGc(memory);
    int count = world.engine.accounts().size();
    System.out.printf(
        "accounts=%d heapBytes=%d bytesPerAccount=%.1f%n",
        count, after - before, (after - before) / (double) count);
    // Keeps the engine reachable until after the measurement.
    if (world.engine.height() < 1) {
      throw new IllegalStateException("no blocks applied");
    }
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    for (int i = 0; i < 5; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
