package io.tally.engine;

import static io.tally.engine.TestNetwork.BANK_A;
import static io.tally.engine.TestNetwork.GENESIS;
import static io.tally.engine.TestNetwork.leg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Blocks found in the log by the network's rule: the first cut for the height, or the size cap. */
class BlockCuttingTest {

  static final Rules FOUR_PER_BLOCK = new Rules(16, 4, 3_600_000, 86_400_000, 86_400_000, 4);

  TestNetwork net;
  List<LogRecord> world;
  Engine engine;

  @BeforeEach
  void world() {
    net = new TestNetwork();
    world = net.world();
    engine = worldEngine();
  }

  /** An engine that applied the 12 world records in three blocks of four. */
  Engine worldEngine() {
    Engine fresh = new Engine(GENESIS, FOUR_PER_BLOCK, 0);
    for (int from = 0; from < world.size(); from += 4) {
      fresh.execute(world.subList(from, from + 4));
    }
    return fresh;
  }

  LogRecord pay() {
    return net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 1)), BANK_A);
  }

  List<BlockResult> stream(List<LogRecord> records) {
    List<BlockResult> blocks = new ArrayList<>();
    for (LogRecord record : records) {
      engine.offer(engine.preVerify(record)).ifPresent(blocks::add);
    }
    return blocks;
  }

  @Test
  void theFirstCutForTheHeightClosesTheBlock() {
    long next = engine.height() + 1;
    List<BlockResult> blocks = stream(List.of(pay(), pay(), net.cut(next), pay()));

    assertThat(blocks).hasSize(1);
    assertThat(blocks.get(0).header().height()).isEqualTo(next);
    assertThat(blocks.get(0).header().entryCount()).isEqualTo(3);
    assertThat(engine.openBlockSize()).isEqualTo(1);
  }

  @Test
  void cutsForOtherHeightsDoNotCloseAndLateCutsAreIgnored() {
    long next = engine.height() + 1;
    List<BlockResult> blocks =
        stream(List.of(net.cut(next + 1), net.cut(next), net.cut(next), net.cut(next + 1)));

    assertThat(blocks).hasSize(2);
    assertThat(blocks.get(0).outcomes())
        .extracting(Outcome::code)
        .containsExactly(Code.CUT_IGNORED, Code.ACCEPTED);
    assertThat(blocks.get(1).outcomes())
        .extracting(Outcome::code)
        .containsExactly(Code.CUT_IGNORED, Code.ACCEPTED);
  }

  @Test
  void recordsBeforeAnIgnoredCutAreAppliedWhileTheBlockStaysOpen() {
    long next = engine.height() + 1;
    stream(List.of(pay(), net.cut(next + 1)));

    assertThat(engine.height()).isEqualTo(next - 1);
    assertThat(engine.openBlockSize()).isEqualTo(2);
    assertThat(engine.openBlockApplied()).isEqualTo(1); // the state already holds the payment

    stream(List.of(pay()));
    assertThat(engine.openBlockApplied()).isEqualTo(1); // the next segment waits for its cut
    stream(List.of(net.cut(next)));
    assertThat(engine.openBlockApplied()).isZero();
  }

  @Test
  void anIgnoredCutAloneLeavesTheStateAsTheLastBlockLeftIt() {
    long next = engine.height() + 1;
    stream(List.of(net.cut(next + 1)));

    assertThat(engine.openBlockSize()).isEqualTo(1);
    assertThat(engine.openBlockApplied()).isZero();
  }

  @Test
  void aBlockClosesAtTheSizeCapWithoutACut() {
    List<BlockResult> blocks = stream(List.of(pay(), pay(), pay(), pay(), pay()));

    assertThat(blocks).hasSize(1);
    assertThat(blocks.get(0).header().entryCount()).isEqualTo(4);
    assertThat(engine.openBlockSize()).isEqualTo(1);
  }

  @Test
  void streamingAndExplicitBlocksGiveTheSameHeaders() {
    Engine explicit = worldEngine();
    List<LogRecord> records = List.of(pay(), pay(), net.cut(engine.height() + 1));

    BlockResult streamed = stream(records).get(0);
    BlockResult applied = explicit.execute(records);

    assertThat(applied.header().toBytes()).isEqualTo(streamed.header().toBytes());
  }

  @Test
  void snapshotsAndExplicitBlocksWaitForTheOpenBlock() {
    Optional<BlockResult> none = engine.offer(engine.preVerify(pay()));

    assertThat(none).isEmpty();
    assertThatThrownBy(() -> engine.snapshot()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> engine.execute(List.of(pay())))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
