package io.tally.protocol.genesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.protocol.Fixtures;
import io.tally.protocol.codec.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenesisTest {

  @TempDir Path dir;

  @Test
  void genesisLoadsFromAFileAndIsIdentifiedBySha256OfItsBytes() throws Exception {
    byte[] bytes = Fixtures.genesisBytes();
    Path file = dir.resolve("network.json");
    Files.write(file, bytes);

    Genesis genesis = Genesis.load(file);

    assertThat(genesis.hash()).isEqualTo(Sha256.of(bytes));
    assertThat(genesis.network()).isEqualTo("tally-test");
    assertThat(genesis.validators().members()).hasSize(4);
    assertThat(genesis.validators().threshold()).isEqualTo(3);
    assertThat(genesis.governance().threshold()).isEqualTo(2);
    assertThat(genesis.instances().member("gateway-1")).isPresent();
    assertThat(genesis.validators().find(Fixtures.key("validator-2").keyId()))
        .contains(Fixtures.key("validator-2").verificationKey());
  }

  @Test
  void theSameNetworkWrittenWithOtherWhitespaceIsAnotherNetwork() throws Exception {
    String text = new String(Fixtures.genesisBytes(), StandardCharsets.UTF_8);
    Genesis spaced = Genesis.parse(text.replace(",", ", ").getBytes(StandardCharsets.UTF_8));

    assertThat(spaced.hash()).isNotEqualTo(Fixtures.genesis().hash());
  }

  @ParameterizedTest(name = "n={0} needs q>={1}")
  @CsvSource({"1,1", "2,2", "3,2", "4,3", "5,4", "6,4", "7,5", "8,6", "10,7", "13,9"})
  void smallestSafeQuorum(int n, int q) {
    assertThat(Genesis.quorumMin(n)).isEqualTo(q);
  }

  @Test
  void quorumOutsideItsRangeIsRefused() {
    assertRefused(genesis(4, 2, 2), "quorum must be between 3 and 4");
    assertRefused(genesis(4, 5, 2), "quorum must be between 3 and 4");
    assertRefused(genesis(5, 3, 2), "quorum must be between 4 and 5");
  }

  @Test
  void governanceThresholdBelowTwoOrAboveTheKeysIsRefused() {
    assertRefused(genesis(4, 3, 1), "governance threshold must be between 2 and the 3");
    assertRefused(genesis(4, 3, 4), "governance threshold must be between 2 and the 3");
  }

  @Test
  void aKeyUsedTwiceAnywhereIsRefused() {
    byte[] bytes =
        Genesis.write(
            "tally-test",
            Fixtures.validators(4, 3).members(),
            3,
            List.of(
                Fixtures.member("admin-1"),
                new Member("admin-2", Fixtures.key("validator-1").verificationKey())),
            2,
            List.of());
    assertRefused(bytes, "appears twice");
  }

  @Test
  void anIdUsedTwiceIsRefused() {
    byte[] bytes =
        Genesis.write(
            "tally-test",
            Fixtures.validators(4, 3).members(),
            3,
            List.of(Fixtures.member("admin-1"), Fixtures.member("admin-2")),
            2,
            List.of(
                new Instance(
                    new Member("validator-1", Fixtures.key("x").verificationKey()),
                    Role.VALIDATOR)));
    assertRefused(bytes, "id validator-1 appears twice");
  }

  @Test
  void malformedGenesisFilesAreRefusedWithTheirReason() {
    String good = new String(Fixtures.genesisBytes(), StandardCharsets.UTF_8);
    assertRefused(good.replace("\"version\":1", "\"version\":2"), "version must be 1");
    assertRefused(
        good.replace("{\"version\":1,", "{\"version\":1,\"extra\":true,"), "unexpected member");
    assertRefused(good.replace("tally-test", "Tally Test"), "network id");
    assertRefused(good.replace("\"kty\":\"OKP\"", "\"kty\":\"RSA\""), "kty OKP");
    assertRefused(good.substring(0, good.length() - 1), "unexpected end");
    assertRefused("[]", "expected a JSON object");
  }

  @Test
  void instanceWithoutARoleIsRefused() {
    String good = new String(Fixtures.genesisBytes(), StandardCharsets.UTF_8);
    assertThat(good).contains("\"role\":\"gateway\",");

    assertRefused(good.replace("\"role\":\"gateway\",", ""), "role");
  }

  @Test
  void instanceWithAnUnknownRoleIsRefused() {
    String good = new String(Fixtures.genesisBytes(), StandardCharsets.UTF_8);

    assertRefused(
        good.replace("\"role\":\"gateway\"", "\"role\":\"admin\""), "unknown role \"admin\"");
  }

  @Test
  void everyInstanceHasTheRoleItWasWrittenWith() throws Exception {
    Genesis genesis = Genesis.parse(Fixtures.genesisBytes());

    assertThat(genesis.role("gateway-1")).contains(Role.GATEWAY);
    assertThat(genesis.role("validator-1")).isEmpty();
  }

  /** SHA-256 of {@link Fixtures#genesisBytes()} before genesis files could carry rules. */
  private static final String FIXTURE_HASH_BEFORE_RULES =
      "0f567a14f8571823f1e142bcab741c3d2d460c3e62c35b34d507a81ae757b80e";

  @Test
  void aGenesisWithoutRulesIsWrittenAndHashedAsBeforeAndGivesNoRules() throws Exception {
    byte[] bytes = Fixtures.genesisBytes();
    Genesis genesis = Genesis.parse(bytes);

    assertThat(genesis.hash().toHex()).isEqualTo(FIXTURE_HASH_BEFORE_RULES);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("rules");
    assertThat(genesis.rules()).isEqualTo(GenesisRules.NONE);
    assertThat(genesis.rules().isEmpty()).isTrue();
    assertThat(withRules(GenesisRules.NONE)).isEqualTo(bytes);
  }

  @Test
  void aGenesisWithRulesLoadsThemAndLeavesTheOthersEmpty() throws Exception {
    GenesisRules rules =
        GenesisRules.NONE.withLegsMax(2).withGovernanceWindowMs(86_400_000).withKeysMax(4);
    byte[] bytes = withRules(rules);

    Genesis genesis = Genesis.parse(bytes);

    assertThat(genesis.rules()).isEqualTo(rules);
    assertThat(genesis.rules().legsMax()).hasValue(2);
    assertThat(genesis.rules().blockEntriesMax()).isEmpty();
    assertThat(genesis.rules().instructionWindowMs()).isEmpty();
    assertThat(genesis.rules().governanceWindowMs()).hasValue(86_400_000);
    assertThat(genesis.rules().reservationTtlMaxMs()).isEmpty();
    assertThat(genesis.rules().keysMax()).hasValue(4);
    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .endsWith(",\"rules\":{\"legsMax\":2,\"governanceWindowMs\":86400000,\"keysMax\":4}}");
    assertThat(genesis.hash()).isEqualTo(Sha256.of(bytes));
    assertThat(genesis.hash().toHex()).isNotEqualTo(FIXTURE_HASH_BEFORE_RULES);
  }

  @Test
  void anEmptyRulesObjectGivesNoRules() throws Exception {
    Genesis genesis = Genesis.parse(rulesText("{}"));

    assertThat(genesis.rules()).isEqualTo(GenesisRules.NONE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"legsMax\":0}|rules.legsMax must be between 1 and 64, got 0",
        "{\"legsMax\":65}|rules.legsMax must be between 1 and 64, got 65",
        "{\"legsMax\":4294967298}|rules.legsMax must be between 1 and 64, got 4294967298",
        "{\"blockEntriesMax\":0}|rules.blockEntriesMax must be between 1 and 100000",
        "{\"blockEntriesMax\":100001}|rules.blockEntriesMax must be between 1 and 100000",
        "{\"instructionWindowMs\":999}|rules.instructionWindowMs must be between 1000 and",
        "{\"instructionWindowMs\":86400001}|rules.instructionWindowMs must be between 1000 and 86400000",
        "{\"governanceWindowMs\":-1}|rules.governanceWindowMs must be between 1000 and 7776000000",
        "{\"governanceWindowMs\":7776000001}|rules.governanceWindowMs must be between 1000 and",
        "{\"reservationTtlMaxMs\":0}|rules.reservationTtlMaxMs must be between 1000 and 7776000000",
        "{\"reservationTtlMaxMs\":7776000001}|rules.reservationTtlMaxMs must be between 1000",
        "{\"keysMax\":0}|rules.keysMax must be between 1 and 32, got 0",
        "{\"keysMax\":33}|rules.keysMax must be between 1 and 32, got 33",
        "{\"legsMax\":\"2\"}|\"legsMax\" must be an integer",
        "{\"legsMax\":2.5}|genesis:",
        "{\"legsMax\":null}|genesis:",
        "{\"legs\":2}|unexpected member \"legs\"",
        "[]|\"rules\" must be an object",
      })
  void rulesOutsideTheirBoundsOrShapeAreRefused(String rules, String message) {
    assertRefused(rulesText(rules), message);
  }

  @Test
  void rulesOutsideTheirBoundsCannotBeWrittenEither() {
    assertThatThrownBy(() -> GenesisRules.NONE.withLegsMax(65))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rules.legsMax must be between 1 and 64, got 65");
    assertThatThrownBy(() -> GenesisRules.NONE.withInstructionWindowMs(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rules.instructionWindowMs");
  }

  /** The fixture network with {@code rules}, written by {@link Genesis#write}. */
  private static byte[] withRules(GenesisRules rules) {
    return Genesis.write(
        "tally-test",
        Fixtures.validators(4, 3).members(),
        3,
        List.of(Fixtures.member("admin-1"), Fixtures.member("admin-2"), Fixtures.member("admin-3")),
        2,
        List.of(
            Fixtures.instance("gateway-1", Role.GATEWAY),
            Fixtures.instance("identity-1", Role.IDENTITY),
            Fixtures.instance("validator-1-instance", Role.VALIDATOR)),
        rules);
  }

  /** The fixture genesis with {@code "rules":<json>} added as its last member. */
  private static byte[] rulesText(String json) {
    String good = new String(Fixtures.genesisBytes(), StandardCharsets.UTF_8);
    return (good.substring(0, good.length() - 1) + ",\"rules\":" + json + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] genesis(int n, int q, int g) {
    return Genesis.write(
        "tally-test",
        Fixtures.validators(n, Genesis.quorumMin(n)).members(),
        q,
        List.of(Fixtures.member("admin-1"), Fixtures.member("admin-2"), Fixtures.member("admin-3")),
        g,
        List.of(Fixtures.instance("gateway-1", Role.GATEWAY)));
  }

  private static void assertRefused(String text, String message) {
    assertRefused(text.getBytes(StandardCharsets.UTF_8), message);
  }

  private static void assertRefused(byte[] bytes, String message) {
    assertThatThrownBy(() -> Genesis.parse(bytes))
        .isInstanceOf(GenesisException.class)
        .hasMessageContaining(message);
  }
}
