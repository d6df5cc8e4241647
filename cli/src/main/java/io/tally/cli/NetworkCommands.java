package io.tally.cli;

import io.tally.client.NetworkGenerator;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.genesis.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tally network init}: a new network's genesis, keys and deployment inputs. */
@Command(
    name = "network",
    description = "Create a network: its genesis, every key, and what a deployment mounts.",
    subcommands = NetworkCommands.Init.class)
final class NetworkCommands {

  private NetworkCommands() {}

  /**
   * Writes a network for members {@code m}: validator {@code validator-m} with its instance {@code
   * validator-m-instance}, gateway {@code gateway-m}, ledger {@code ledger-m}, administrator {@code
   * admin-m} (g = 2), one identity instance {@code identity-1}; database credentials; and the
   * Kubernetes Secrets and ConfigMaps the manifests in {@code k8s/} reference (docs/operations.md).
   * Nothing here belongs in git: it holds every private key.
   */
  @Command(
      name = "init",
      description = {
        "Generate a network's genesis, every member's keys and database credentials into a new"
            + " directory, with Kubernetes Secret and ConfigMap manifests (kubernetes/network for"
            + " the all-in-one overlays, kubernetes/member-M for each member's own cluster).",
        "The directory holds private keys: keep it out of any repository."
      })
  static final class Init implements Callable<Integer> {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID = "[a-z0-9]{1,16}";

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, description = "the directory to write")
    Path out = Path.of("");

    @Option(
        names = "--network-id",
        defaultValue = "tally",
        description = "the network id in the genesis (default ${DEFAULT-VALUE})")
    String networkId = "tally";

    @Option(
        names = "--members",
        split = ",",
        defaultValue = "a,b,c,d",
        description =
            "the consortium members, each running a validator, a gateway and a ledger replica"
                + " (default ${DEFAULT-VALUE})")
    List<String> members = List.of();

    @Option(
        names = "--postgres-init",
        description =
            "where to write init.sql and superuser.password for a PostgreSQL that creates every"
                + " database (default OUT/db/postgres-init)")
    @Nullable Path postgresInit;

    @Option(
        names = "--if-absent",
        description = "if OUT/network.json exists, leave everything as it is and exit 0")
    boolean ifAbsent;

    @Mixin Tally.Output output;

    @Override
    public Integer call() throws IOException {
      Path genesisFile = out.resolve("network.json");
      if (Files.exists(genesisFile)) {
        if (ifAbsent) {
          output.print(
              spec,
              new JsonWriter()
                  .beginObject()
                  .member("genesis", genesisFile.toAbsolutePath().toString())
                  .name("created")
                  .value(false)
                  .endObject(),
              "network exists: " + genesisFile + " (left as it is)");
          return 0;
        }
        throw new FileAlreadyExistsException(
            genesisFile.toString(), null, "a network exists there; --if-absent keeps it");
      }
      checkMembers();
      Files.createDirectories(out);
      // Everything is written to a staging directory and moved into place, the genesis last: an
      // interrupted run leaves no half network that --if-absent would take for a whole one.
      Path staging = out.resolve(".staging");
      deleteTree(staging);
      Files.createDirectories(staging);
      NetworkGenerator.Generated network = NetworkGenerator.generate(staging, layout());
      Map<String, String> passwords = new LinkedHashMap<>();
      for (String db : databases()) {
        passwords.put(db, secret());
      }
      writeConfigTrees(staging.resolve("db"), passwords);
      String superuser = secret();
      String initSql = initSql(passwords);
      Path initDir = postgresInit == null ? out.resolve("db/postgres-init") : postgresInit;
      Path stagedInit = staging.resolve("postgres-init");
      Files.createDirectories(stagedInit);
      // Read by the PostgreSQL container's own user, not by the services' (see docker-compose.yml).
      Files.writeString(stagedInit.resolve("init.sql"), initSql);
      Files.writeString(stagedInit.resolve("superuser.password"), superuser);
      Path kubernetes = staging.resolve("kubernetes");
      KubernetesKit.writeNetwork(
          kubernetes.resolve("network"), network, passwords, initSql, superuser);
      for (String member : members) {
        KubernetesKit.writeMember(
            kubernetes.resolve("member-" + member), member, network, passwords);
      }

      move(staging.resolve("keys"), out.resolve("keys"));
      move(staging.resolve("db"), out.resolve("db"));
      Files.createDirectories(initDir);
      // Possibly another file system (a volume of its own): copied, not moved.
      Files.copy(stagedInit.resolve("init.sql"), initDir.resolve("init.sql"));
      Files.copy(stagedInit.resolve("superuser.password"), initDir.resolve("superuser.password"));
      move(kubernetes, out.resolve("kubernetes"));
      move(staging.resolve("network.json"), genesisFile);
      deleteTree(staging);

      output.print(
          spec,
          new JsonWriter()
              .beginObject()
              .member("genesis", genesisFile.toAbsolutePath().toString())
              .name("created")
              .value(true)
              .member("keys", out.resolve("keys").toAbsolutePath().toString())
              .member("kubernetes", out.resolve("kubernetes").toAbsolutePath().toString())
              .endObject(),
          "network "
              + networkId
              + " written to "
              + out
              + " (members "
              + String.join(", ", members)
              + ")\n  genesis     "
              + genesisFile
              + "\n  keys        "
              + out.resolve("keys")
              + " (private: keep out of any repository)"
              + "\n  databases   "
              + out.resolve("db")
              + ", PostgreSQL init "
              + initDir
              + "\n  kubernetes  kubectl apply -k "
              + out.resolve("kubernetes/network")
              + "   (or kubernetes/member-M in member M's cluster)");
      return 0;
    }

    private void checkMembers() {
      if (members.isEmpty() || members.size() > 64) {
        throw new IllegalArgumentException("--members: name 1 to 64 members");
      }
      if (new HashSet<>(members).size() != members.size()) {
        throw new IllegalArgumentException("--members: a member is named twice");
      }
      for (String member : members) {
        if (!member.matches(ID)) {
          throw new IllegalArgumentException(
              "--members: '" + member + "' is not 1 to 16 lower-case letters or digits");
        }
      }
      if (!networkId.matches("[a-z0-9][a-z0-9-]{0,62}")) {
        throw new IllegalArgumentException(
            "--network-id: 1 to 63 lower-case letters, digits or hyphens");
      }
    }

    private NetworkGenerator.Layout layout() {
      List<String> validators = new ArrayList<>();
      List<NetworkGenerator.InstanceSpec> instances = new ArrayList<>();
      List<String> administrators = new ArrayList<>();
      for (String m : members) {
        validators.add("validator-" + m);
        instances.add(
            new NetworkGenerator.InstanceSpec("validator-" + m + "-instance", Role.VALIDATOR));
        instances.add(new NetworkGenerator.InstanceSpec("gateway-" + m, Role.GATEWAY));
        instances.add(new NetworkGenerator.InstanceSpec("ledger-" + m, Role.LEDGER));
        administrators.add("admin-" + m);
      }
      instances.add(new NetworkGenerator.InstanceSpec("identity-1", Role.IDENTITY));
      return new NetworkGenerator.Layout(
          networkId, validators, instances, administrators, Math.min(2, members.size()));
    }

    private List<String> databases() {
      List<String> databases = new ArrayList<>();
      for (String m : members) {
        databases.add("validator_" + m);
      }
      for (String m : members) {
        databases.add("ledger_" + m);
      }
      databases.add("identity");
      return databases;
    }

    /** A Boot config tree per database: {@code db/<name>/spring.datasource.{username,password}}. */
    private static void writeConfigTrees(Path db, Map<String, String> passwords)
        throws IOException {
      for (Map.Entry<String, String> entry : passwords.entrySet()) {
        Path tree = db.resolve(entry.getKey());
        Files.createDirectories(tree);
        ownerOnly(tree, "rwx------");
        writeOwnerOnly(tree.resolve("spring.datasource.username"), entry.getKey());
        writeOwnerOnly(tree.resolve("spring.datasource.password"), entry.getValue());
      }
    }

    private static String initSql(Map<String, String> passwords) {
      StringBuilder sql =
          new StringBuilder(
              "-- Written by tally network init: one role and one database per service instance.\n");
      for (Map.Entry<String, String> entry : passwords.entrySet()) {
        // Names are [a-z0-9_] and passwords base64url: nothing here needs quoting beyond this.
        sql.append("CREATE ROLE ")
            .append(entry.getKey())
            .append(" LOGIN PASSWORD '")
            .append(entry.getValue())
            .append("';\nCREATE DATABASE ")
            .append(entry.getKey())
            .append(" OWNER ")
            .append(entry.getKey())
            .append(";\n");
      }
      return sql.toString();
    }

    /** 24 random bytes, base64url: safe in SQL literals, YAML and connection strings. */
    private static String secret() {
      byte[] bytes = new byte[24];
      RANDOM.nextBytes(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
      Files.writeString(file, content, StandardCharsets.UTF_8);
      ownerOnly(file, "rw-------");
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
      if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
      }
    }

    private static void move(Path from, Path to) throws IOException {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(Path root) throws IOException {
      if (!Files.exists(root)) {
        return;
      }
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }
}
