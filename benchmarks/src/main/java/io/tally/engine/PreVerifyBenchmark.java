package io.tally.engine;

import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pre-verification of real signed records (envelope signature, instruction JWS signature, decoding)
 * on one and on two threads sharing one engine. Target: two threads at least 1.8 times one thread's
 * throughput.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PreVerifyBenchmark {

  @State(Scope.Benchmark)
  public static class Log {
    Engine engine;
    List<LogRecord> records;

    @Setup
    public void build() {
      TestNetwork net = new TestNetwork();
      engine = new Engine(TestNetwork.GENESIS, 0);
      engine.execute(net.world());
      records = new ArrayList<>();
      for (int i = 0; i < 2_048; i++) {
        records.add(
            net.instruction(
                net.settle(net.id(), TestNetwork.leg("a-eur", "b-eur", "EUR", 1 + i)),
                TestNetwork.BANK_A));
      }
    }
  }

  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Benchmark
  @Threads(1)
  public PreVerified oneThread(Log log, Cursor cursor) {
    return preVerifyNext(log, cursor);
  }

  @Benchmark
  @Threads(2)
  public PreVerified twoThreads(Log log, Cursor cursor) {
    return preVerifyNext(log, cursor);
  }

  private static PreVerified preVerifyNext(Log log, Cursor cursor) {
    PreVerified entry = log.engine.preVerify(log.records.get(cursor.next));
    cursor.next = (cursor.next + 1) % log.records.size();
    if (!entry.earlyCode().accepted()) {
      throw new IllegalStateException("benchmark records must verify");
    }
    return entry;
  }
}
