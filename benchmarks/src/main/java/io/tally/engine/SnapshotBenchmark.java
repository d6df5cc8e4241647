package io.tally.engine;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Snapshot to bytes plus restore from them, of an engine with 1,000,000 accounts (250,000 per bank
 * and asset side). Target: at most 5 s together.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgs = {"-Xms4g", "-Xmx4g"})
public class SnapshotBenchmark {

  private BenchWorld world;

  @Setup
  public void populate() {
    world = new BenchWorld(250_000, false);
    if (world.engine.accounts().size() < 1_000_000) {
      throw new IllegalStateException("expected 1,000,000 accounts");
    }
  }

  @Benchmark
  public Engine snapshotAndRestore() {
    byte[] snapshot = world.engine.snapshot();
    return Engine.restore(TestNetwork.GENESIS, snapshot);
  }
}
