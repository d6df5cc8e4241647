package io.tally.engine;

import static io.tally.engine.TestNetwork.BANK_A;
import static io.tally.engine.TestNetwork.GENESIS;
import static io.tally.engine.TestNetwork.genesisWith;
import static io.tally.engine.TestNetwork.leg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.GenesisRules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's rules come from the genesis (ADR 0019): every engine of a network runs the same. */
class GenesisRulesTest {

  static final Genesis TWO_LEGS = genesisWith(GenesisRules.NONE.withLegsMax(2));

  final TestNetwork net = new TestNetwork();

  @Test
  void aGenesisWithoutRulesGivesTheDefaultsAndIsTheSameNetwork() {
    assertThat(Rules.of(GENESIS)).isEqualTo(Rules.DEFAULT);
    assertThat(genesisWith(GenesisRules.NONE).hash()).isEqualTo(GENESIS.hash());
    assertThat(new Engine(GENESIS, 0).stateDigest()).isEqualTo(GENESIS.hash());
  }

  @Test
  void theRulesAGenesisGivesAreTakenAndTheOthersDefault() {
    Genesis genesis =
        genesisWith(
            GenesisRules.NONE.withLegsMax(2).withInstructionWindowMs(10_000).withKeysMax(3));

    assertThat(Rules.of(genesis))
        .isEqualTo(
            new Rules(
                2,
                Rules.DEFAULT.blockEntriesMax(),
                10_000,
                Rules.DEFAULT.governanceWindowMs(),
                Rules.DEFAULT.reservationTtlMaxMs(),
                3));
    assertThat(genesis.hash()).isNotEqualTo(GENESIS.hash()); // other rules, another network
  }

  @Test
  void anEngineOfTheGenesisEnforcesItsLegsMax() {
    Engine engine = new Engine(TWO_LEGS, 0);
    engine.execute(net.world());

    assertThat(codes(engine, settlementOf(3), settlementOf(2)))
        .containsExactly(Code.LEGS_TOO_MANY, Code.ACCEPTED);
    assertThat(engine.account("b-eur").orElseThrow().postedBalance()).isEqualTo(2);
  }

  @Test
  void anEngineRestoredWithTheGenesisKeepsEnforcingItsRules() {
    Engine engine = new Engine(TWO_LEGS, 0);
    engine.execute(net.world());

    Engine restored = Engine.restore(TWO_LEGS, engine.snapshot());

    assertThat(codes(restored, settlementOf(3), settlementOf(2)))
        .containsExactly(Code.LEGS_TOO_MANY, Code.ACCEPTED);
  }

  @Test
  void everyDefaultCanBeWrittenIntoAGenesis() {
    Genesis explicit =
        genesisWith(
            GenesisRules.NONE
                .withLegsMax(Rules.DEFAULT.legsMax())
                .withBlockEntriesMax(Rules.DEFAULT.blockEntriesMax())
                .withInstructionWindowMs(Rules.DEFAULT.instructionWindowMs())
                .withGovernanceWindowMs(Rules.DEFAULT.governanceWindowMs())
                .withReservationTtlMaxMs(Rules.DEFAULT.reservationTtlMaxMs())
                .withKeysMax(Rules.DEFAULT.keysMax()));

    assertThat(Rules.of(explicit)).isEqualTo(Rules.DEFAULT);
  }

  @Test
  void anEngineOfTheGenesisEnforcesItsInstructionWindow() {
    Engine engine = new Engine(genesisWith(GenesisRules.NONE.withInstructionWindowMs(30_000)), 0);
    engine.execute(net.world().subList(0, 4)); // the governance changes: their window is default

    // The test network's instructions expire a minute ahead, twice the window.
    assertThat(
            codes(
                engine, net.instruction(net.openAccount(net.id(), "a-x", "bank-a", "EUR"), BANK_A)))
        .containsExactly(Code.NOT_AFTER_TOO_FAR);
  }

  @Test
  void anEngineOfTheGenesisClosesBlocksAtItsBlockEntriesMax() {
    Engine engine = new Engine(genesisWith(GenesisRules.NONE.withBlockEntriesMax(3)), 0);
    List<LogRecord> world = net.world();

    assertThatThrownBy(() -> engine.execute(world))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 3 records");
    List<BlockResult> blocks = new ArrayList<>();
    for (LogRecord record : world) {
      engine.offer(engine.preVerify(record)).ifPresent(blocks::add);
    }
    assertThat(blocks).hasSize(4).allSatisfy(block -> assertThat(block.outcomes()).hasSize(3));
  }

  LogRecord settlementOf(int legs) {
    TestNetwork.Leg[] each = new TestNetwork.Leg[legs];
    java.util.Arrays.fill(each, leg("a-eur", "b-eur", "EUR", 1));
    return net.instruction(net.settle(net.id(), each), BANK_A);
  }

  static List<Code> codes(Engine engine, LogRecord... records) {
    return engine.execute(List.of(records)).outcomes().stream().map(Outcome::code).toList();
  }
}
