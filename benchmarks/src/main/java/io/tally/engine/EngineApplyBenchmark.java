package io.tally.engine;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sequential apply of settlements that are already decoded and pre-verified, one thread, in blocks
 * of {@link #BLOCK} entries over 10,000 accounts per bank. Includes everything the apply step does
 * per block: time and id bookkeeping, the rules, balances, outcome records, both Merkle roots and
 * the state digest. Targets: 1,000,000 single-leg and 500,000 two-leg settlements per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgs = {"-Xms2g", "-Xmx2g"})
public class EngineApplyBenchmark {

  static final int BLOCK = 10_000;

  @Param({"1", "2"})
  public int legs;

  private BenchWorld world;
  private SplittableRandom random;
  private List<PreVerified> block;

  @Setup(Level.Trial)
  public void populate() {
    world = new BenchWorld(10_000, true);
    random = new SplittableRandom(42);
  }

  @Setup(Level.Invocation)
  public void nextBlock() {
    block = world.settlements(BLOCK, legs, random);
  }

  @Benchmark
  @OperationsPerInvocation(BLOCK)
  public BlockResult applyBlock() {
    BlockResult result = world.engine.apply(block);
    if (!result.outcomes().get(BLOCK - 1).code().accepted()) {
      throw new IllegalStateException("benchmark settlements must be accepted");
    }
    return result;
  }
}
