package io.tally.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.Role;
import io.tally.protocol.keys.PrivateKeyFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tally network init}: what a deployment mounts, generated for a new network. */
class NetworkInitCommandTest {

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Tally.commandLine();
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void aNetworkOfFourMembersHasAKeyForEveryIdAndAGenesisThatLoads() throws Exception {
    Path out = dir.resolve("net");
    assertThat(run("network", "init", "--out", out.toString(), "--network-id", "acme")).isZero();

    Genesis genesis = Genesis.load(out.resolve("network.json"));
    assertThat(genesis.network()).isEqualTo("acme");
    assertThat(genesis.validators().members()).hasSize(4);
    assertThat(genesis.validators().threshold()).isEqualTo(3);
    assertThat(genesis.governance().threshold()).isEqualTo(2);
    assertThat(genesis.role("gateway-b")).contains(Role.GATEWAY);
    assertThat(genesis.role("ledger-c")).contains(Role.LEDGER);
    assertThat(genesis.role("validator-d-instance")).contains(Role.VALIDATOR);
    assertThat(genesis.role("identity-1")).contains(Role.IDENTITY);
    // Each private key matches the public key the genesis lists for its id.
    for (String id : new String[] {"validator-a", "gateway-a", "identity-1", "admin-d"}) {
      String keyId = PrivateKeyFile.read(out.resolve("keys/" + id + ".key")).keyId();
      assertThat(
              genesis.validators().memberByKeyId(keyId).isPresent()
                  || genesis.instances().memberByKeyId(keyId).isPresent()
                  || genesis.governance().memberByKeyId(keyId).isPresent())
          .as(id)
          .isTrue();
    }
    assertThat(Files.getPosixFilePermissions(out.resolve("keys")))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(out.resolve("db/ledger_b/spring.datasource.password")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(out.resolve("db/ledger_b/spring.datasource.username")))
        .isEqualTo("ledger_b");
    assertThat(Files.exists(out.resolve(".staging"))).isFalse();
  }

  @Test
  void theManifestsCarryTheExactGenesisBytesAndEachMembersOwnKeys() throws Exception {
    Path out = dir.resolve("net");
    assertThat(run("network", "init", "--out", out.toString())).isZero();

    String network = Files.readString(out.resolve("kubernetes/network/configmaps.yaml"));
    Matcher genesis = Pattern.compile("network.json: (\\S+)").matcher(network);
    assertThat(genesis.find()).isTrue();
    assertThat(Base64.getDecoder().decode(genesis.group(1)))
        .isEqualTo(Files.readAllBytes(out.resolve("network.json")));
    String secrets = Files.readString(out.resolve("kubernetes/network/secrets.yaml"));
    assertThat(secrets)
        .contains("name: tally-key-validator-a\n", "name: tally-key-gateway-b\n")
        .contains("name: tally-db-validator-c\n", "name: tally-postgres-init\n")
        .doesNotContain("tally-key-admin");
    assertThat(Files.getPosixFilePermissions(out.resolve("kubernetes/network/secrets.yaml")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    String member = Files.readString(out.resolve("kubernetes/member-c/secrets.yaml"));
    String gatewayKey =
        Base64.getEncoder().encodeToString(Files.readAllBytes(out.resolve("keys/gateway-c.key")));
    assertThat(member).contains("name: tally-key-gateway\n", "key: " + gatewayKey);
    assertThat(
            new String(
                Base64.getDecoder().decode(secretValue(member, "tally-db-ledger", "username")),
                StandardCharsets.UTF_8))
        .isEqualTo("ledger_c");
    assertThat(Files.readString(out.resolve("kubernetes/member-c/configmaps.yaml")))
        .contains("gateway-instance-id: \"gateway-c\"", "validator-id: \"validator-c\"");
    assertThat(Files.readString(out.resolve("db/postgres-init/init.sql")))
        .contains("CREATE DATABASE validator_a OWNER validator_a;");
  }

  @Test
  void anExistingNetworkIsNeverOverwrittenAndIfAbsentLeavesIt() throws Exception {
    Path out = dir.resolve("net");
    assertThat(run("network", "init", "--out", out.toString())).isZero();
    byte[] genesis = Files.readAllBytes(out.resolve("network.json"));

    assertThat(run("network", "init", "--out", out.toString())).isEqualTo(Tally.LOCAL_FILE);
    assertThat(err.toString()).contains("a network exists there");
    assertThat(run("network", "init", "--out", out.toString(), "--if-absent")).isZero();
    assertThat(Files.readAllBytes(out.resolve("network.json"))).isEqualTo(genesis);
  }

  @Test
  void badMemberNamesAreAUsageError() {
    assertThat(run("network", "init", "--out", dir.resolve("x").toString(), "--members", "a,A"))
        .isEqualTo(Tally.USAGE);
    assertThat(run("network", "init", "--out", dir.resolve("y").toString(), "--members", "a,a"))
        .isEqualTo(Tally.USAGE);
    assertThat(err.toString()).contains("is not 1 to 16 lower-case letters", "named twice");
    assertThat(Files.exists(dir.resolve("x"))).isFalse();
  }

  @Test
  void thePostgresInitFilesCanGoToADirectoryOfTheirOwn() throws Exception {
    Path out = dir.resolve("net");
    Path init = dir.resolve("db-init");
    assertThat(run("network", "init", "--out", out.toString(), "--postgres-init", init.toString()))
        .isZero();
    assertThat(Files.readString(init.resolve("init.sql"))).contains("CREATE ROLE identity LOGIN");
    assertThat(Files.readString(init.resolve("superuser.password"))).hasSize(32);
    assertThat(Files.exists(out.resolve("db/postgres-init"))).isFalse();
  }

  /** The base64 value of {@code key} in the Secret named {@code name} of a secrets.yaml. */
  private static String secretValue(String yaml, String name, String key) {
    String secret = yaml.substring(yaml.indexOf("name: " + name + "\n"));
    Matcher value = Pattern.compile("\n  " + key + ": (\\S+)").matcher(secret);
    assertThat(value.find()).isTrue();
    return value.group(1);
  }
}
