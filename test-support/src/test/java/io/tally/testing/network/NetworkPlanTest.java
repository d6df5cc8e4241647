package io.tally.testing.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.protocol.codec.Sha256;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.Instance;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.genesis.Role;
import io.tally.protocol.keys.PrivateKeyFile;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkPlanTest {

  @TempDir Path dir;

  static SigningKey key(String id) {
    return SigningKey.fromSeed(Sha256.of(id.getBytes(StandardCharsets.UTF_8)).toBytes());
  }

  /** 4 validators (q = 3), 3 administrators (g = 2), a ledger, a gateway, identity. */
  static byte[] genesis() {
    List<Member> validators = new ArrayList<>();
    List<Instance> instances = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      validators.add(new Member("validator-" + i, key("validator-" + i).verificationKey()));
      String instance = "validator-" + i + "-instance";
      instances.add(
          new Instance(new Member(instance, key(instance).verificationKey()), Role.VALIDATOR));
    }
    instances.add(
        new Instance(new Member("ledger-1", key("ledger-1").verificationKey()), Role.LEDGER));
    instances.add(
        new Instance(new Member("gateway-1", key("gateway-1").verificationKey()), Role.GATEWAY));
    instances.add(
        new Instance(new Member("identity-1", key("identity-1").verificationKey()), Role.IDENTITY));
    List<Member> admins = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      admins.add(new Member("admin-" + i, key("admin-" + i).verificationKey()));
    }
    return Genesis.write("plan-test", validators, 3, admins, 2, instances);
  }

  NetworkPlan.Builder plan() {
    return NetworkPlan.in(dir).kafka("127.0.0.1:9").databases(name -> "jdbc:postgresql:" + name);
  }

  @Test
  void theGenesisAndAKeyPerValidatorAndInstanceAreWrittenAndNoAdministratorsKey() throws Exception {
    NetworkPlan network = plan().genesis(genesis(), NetworkPlanTest::key).build();

    assertThat(Files.readAllBytes(network.genesisFile())).isEqualTo(genesis());
    assertThat(PrivateKeyFile.read(network.keyFile("validator-3")).keyId())
        .isEqualTo(key("validator-3").keyId());
    assertThat(PrivateKeyFile.read(network.keyFile("validator-3-instance")).keyId())
        .isEqualTo(key("validator-3-instance").keyId());
    assertThat(PrivateKeyFile.read(network.keyFile("gateway-1")).keyId())
        .isEqualTo(key("gateway-1").keyId());
    assertThat(dir.resolve("keys/admin-1.key")).doesNotExist();
  }

  @Test
  void aValidatorNodeHasItsIdsKeysDatabaseAndTheBroker() throws Exception {
    NetworkPlan network =
        plan().genesis(genesis(), NetworkPlanTest::key).verifierThreads(1).build();

    Node validator = network.validator(2);

    assertThat(validator.name()).isEqualTo("validator-2");
    assertThat(validator.properties())
        .containsEntry("spring.kafka.bootstrap-servers", "127.0.0.1:9")
        .containsEntry("management.endpoint.health.show-details", "always")
        .containsEntry("spring.datasource.url", "jdbc:postgresql:validator-2")
        .containsEntry("tally.validator.genesis-file", dir.resolve("network.json").toString())
        .containsEntry("tally.validator.validator-id", "validator-2")
        .containsEntry(
            "tally.validator.validator-key-file", dir.resolve("keys/validator-2.key").toString())
        .containsEntry("tally.validator.instance-id", "validator-2-instance")
        .containsEntry(
            "tally.validator.instance-key-file",
            dir.resolve("keys/validator-2-instance.key").toString())
        .containsEntry("tally.validator.verifier-threads", "1");
    assertThat(validator.arguments()).contains("--tally.validator.validator-id=validator-2");
  }

  @Test
  void aNodeAskedForAgainHasTheSameDatabase() throws Exception {
    List<String> created = new ArrayList<>();
    NetworkPlan network =
        plan()
            .genesis(genesis(), NetworkPlanTest::key)
            .databases(
                name -> {
                  created.add(name);
                  return "jdbc:postgresql:" + name + "-" + created.size();
                })
            .build();

    String first = network.ledger("ledger-1").database();

    assertThat(network.ledger("ledger-1").database()).isEqualTo(first);
    assertThat(network.identity("identity-1").database()).isNotEqualTo(first);
    assertThat(created).containsExactly("ledger-1", "identity-1");
  }

  @Test
  void aGatewayHasNoDatabaseAndItsLedgersUrl() throws Exception {
    NetworkPlan network = plan().genesis(genesis(), NetworkPlanTest::key).build();

    Node gateway = network.gateway("gateway-1", "http://127.0.0.1:8090");

    assertThat(gateway.properties())
        .containsEntry("tally.gateway.instance-id", "gateway-1")
        .containsEntry("tally.gateway.ledger-url", "http://127.0.0.1:8090")
        .doesNotContainKey("spring.datasource.url")
        .doesNotContainKey("tally.gateway.verifier-threads");
  }

  @Test
  void aCallersPropertyIsAddedToACopyAndWinsOverThePlans() throws Exception {
    NetworkPlan network = plan().genesis(genesis(), NetworkPlanTest::key).build();
    Node ledger = network.ledger("ledger-1");

    Node tuned = ledger.with("tally.ledger.instance-id", "other").with("server.port", "1");

    assertThat(tuned.property("tally.ledger.instance-id")).isEqualTo("other");
    assertThat(tuned.property("server.port")).isEqualTo("1");
    assertThat(ledger.property("tally.ledger.instance-id")).isEqualTo("ledger-1");
    assertThat(ledger.properties()).doesNotContainKey("server.port");
  }

  @Test
  void filesAlreadyInTheDirectoryAreUsedAsTheyAre() throws Exception {
    plan().genesis(genesis(), NetworkPlanTest::key).build();

    NetworkPlan existing = plan().build();

    assertThat(existing.ledger("ledger-1").property("tally.ledger.instance-key-file"))
        .isEqualTo(dir.resolve("keys/ledger-1.key").toString());
  }

  @Test
  void aKeyThatIsNotTheGenesissIsRefused() {
    assertThatThrownBy(
            () ->
                plan()
                    .genesis(genesis(), id -> id.equals("ledger-1") ? key("someone else") : key(id))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ledger-1");
  }

  @Test
  void aNodeWhoseInstanceTheGenesisLacksIsRefused() throws Exception {
    NetworkPlan network = plan().genesis(genesis(), NetworkPlanTest::key).build();

    assertThatThrownBy(() -> network.ledger("ledger-2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no key file for ledger-2");
  }

  @Test
  void aPlanWithoutGenesisInAnEmptyDirectoryIsRefused() {
    assertThatThrownBy(() -> plan().build()).isInstanceOf(IllegalStateException.class);
  }
}
