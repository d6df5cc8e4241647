package io.tally.engine;

import static io.tally.engine.TestNetwork.BANK_A;
import static io.tally.engine.TestNetwork.GENESIS;
import static io.tally.engine.TestNetwork.leg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.merkle.MerkleTree;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterminismTest {

  @Test
  void headersChainAndCarryTheRootsOfWhatTheBlockHeld() {
    TestNetwork net = new TestNetwork();
    Engine engine = new Engine(GENESIS, Rules.DEFAULT, 0);
    List<LogRecord> world = net.world();

    BlockResult first = engine.execute(world);
    BlockResult second =
        engine.execute(
            List.of(
                net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 3)), BANK_A)));

    BlockHeader h1 = first.header();
    assertThat(h1.network()).isEqualTo(GENESIS.hash());
    assertThat(h1.height()).isEqualTo(1);
    assertThat(h1.prev()).isEqualTo(Hash.ZERO);
    assertThat(h1.entryCount()).isEqualTo(world.size());
    assertThat(h1.firstOffset()).isZero();
    assertThat(h1.lastOffset()).isEqualTo(world.size() - 1);
    assertThat(h1.entries())
        .isEqualTo(
            MerkleTree.root(world.stream().map(r -> MerkleTree.leafHash(r.value())).toList()));
    assertThat(h1.results())
        .isEqualTo(
            MerkleTree.root(
                first.outcomes().stream().map(o -> MerkleTree.leafHash(o.toBytes())).toList()));
    assertThat(second.header().state()).isEqualTo(engine.stateDigest()).isNotEqualTo(h1.state());
    assertThat(second.header().prev()).isEqualTo(h1.hash());
    assertThat(second.header().height()).isEqualTo(2);
    assertThat(engine.lastHeaderHash()).isEqualTo(second.header().hash());
  }

  @Test
  void aStateDifferenceShowsInTheDigest() {
    TestNetwork one = new TestNetwork();
    TestNetwork two = new TestNetwork();
    Engine a = new Engine(GENESIS, Rules.DEFAULT, 0);
    Engine b = new Engine(GENESIS, Rules.DEFAULT, 0);
    a.execute(one.world());
    b.execute(two.world());
    assertThat(a.stateDigest()).isEqualTo(b.stateDigest());

    a.execute(
        List.of(one.instruction(one.settle(one.id(), leg("a-eur", "b-eur", "EUR", 3)), BANK_A)));
    b.execute(
        List.of(two.instruction(two.settle(two.id(), leg("a-eur", "b-eur", "EUR", 4)), BANK_A)));

    assertThat(a.stateDigest()).isNotEqualTo(b.stateDigest());
  }

  @Test
  void snapshotRestoresTheSameStateAndRefusesDamage() {
    TestNetwork net = new TestNetwork();
    Engine engine = new Engine(GENESIS, Rules.DEFAULT, 0);
    engine.execute(net.world());
    byte[] snapshot = engine.snapshot();

    Engine restored = Engine.restore(GENESIS, Rules.DEFAULT, snapshot);

    assertThat(restored.stateDigest()).isEqualTo(engine.stateDigest());
    assertThat(restored.height()).isEqualTo(1);
    assertThat(restored.accounts()).isEqualTo(engine.accounts());
    assertThat(restored.snapshot()).isEqualTo(snapshot);
    byte[] damaged = snapshot.clone();
    damaged[damaged.length / 2] ^= 1;
    assertThatThrownBy(() -> Engine.restore(GENESIS, Rules.DEFAULT, damaged))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("corrupt");
  }

  @Test
  void aSnapshotFinishedLaterHoldsTheStateOfTheMomentItWasTaken() {
    TestNetwork net = new TestNetwork();
    Engine engine = new Engine(GENESIS, Rules.DEFAULT, 0);
    engine.execute(net.world());
    engine.execute(
        List.of(net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 3)), BANK_A)));
    byte[] now = engine.snapshot();
    java.util.function.Supplier<byte[]> later = engine.snapshotLater();

    engine.execute(
        List.of(
            net.instruction(net.settle(net.id(), leg("a-eur", "b-eur", "EUR", 5)), BANK_A),
            net.instruction(net.openAccount(net.id(), "a-eur-2", "bank-a", "EUR"), BANK_A)));

    byte[] finished = later.get();
    assertThat(finished).isEqualTo(now);
    Engine restored = Engine.restore(GENESIS, Rules.DEFAULT, finished);
    assertThat(restored.height()).isEqualTo(2);
    assertThat(restored.rememberedIdCount()).isEqualTo(engine.rememberedIdCount() - 2);
  }

  @Test
  void emptyAndOversizedBlocksAreProgrammingErrors() {
    Engine engine = new Engine(GENESIS, new Rules(16, 2, 60_000, 60_000, 60_000, 4), 0);
    TestNetwork net = new TestNetwork();
    assertThatThrownBy(() -> engine.apply(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> engine.execute(List.of(net.cut(1), net.cut(1), net.cut(1))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outcomeRecordsAcceptExactlyTheInstructionIdPattern() {
    for (String id : List.of("a", "A.b_c:d-9", "x".repeat(64))) {
      assertThat(new Outcome(1, id, Code.ACCEPTED, Outcome.NO_ORIGINAL).id()).contains(id);
      assertThat(Decoder.INSTRUCTION_ID.matcher(id).matches()).isTrue();
    }
    for (String id : List.of("", "-a", "a\"b", "a b", "x".repeat(65), "é")) {
      assertThat(Decoder.INSTRUCTION_ID.matcher(id).matches()).isFalse();
      assertThatThrownBy(() -> new Outcome(1, id, Code.ACCEPTED, Outcome.NO_ORIGINAL))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(
            new String(
                new Outcome(7, "s-1", Code.EXPIRED, 3).toBytes(),
                java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("{\"offset\":7,\"id\":\"s-1\",\"code\":\"EXPIRED\",\"original\":3}");
  }
}
