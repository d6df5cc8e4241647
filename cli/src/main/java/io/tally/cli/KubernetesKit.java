package io.tally.cli;

import io.tally.client.NetworkGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Secrets and ConfigMaps the manifests in {@code k8s/} reference by name, written as a
 * Kustomize directory to apply before them: {@code kubernetes/network} for the all-in-one overlays
 * (dev, prod), {@code kubernetes/member-M} for what member M runs in its own cluster ({@code
 * k8s/overlays/member}: the same names in every member's cluster).
 */
final class KubernetesKit {

  static final String NAMESPACE = "tally";

  private KubernetesKit() {}

  static void writeNetwork(
      Path dir,
      NetworkGenerator.Generated network,
      Map<String, String> passwords,
      String initSql,
      String superuserPassword)
      throws IOException {
    StringBuilder secrets = new StringBuilder();
    for (Map.Entry<String, Path> key : network.keys().entrySet()) {
      if (key.getKey().startsWith("admin-")) {
        continue; // administrators' keys belong to people, not to pods
      }
      secrets.append(keySecret("tally-key-" + key.getKey(), Files.readAllBytes(key.getValue())));
    }
    for (Map.Entry<String, String> db : passwords.entrySet()) {
      secrets.append(
          databaseSecret("tally-db-" + db.getKey().replace('_', '-'), db.getKey(), db.getValue()));
    }
    Map<String, byte[]> init = new LinkedHashMap<>();
    init.put("init.sql", initSql.getBytes(StandardCharsets.UTF_8));
    init.put("superuser.password", superuserPassword.getBytes(StandardCharsets.UTF_8));
    secrets.append(secret("tally-postgres-init", "Opaque", init));
    write(dir, secrets.toString(), genesis(Files.readAllBytes(network.genesis())));
  }

  static void writeMember(
      Path dir, String member, NetworkGenerator.Generated network, Map<String, String> passwords)
      throws IOException {
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("validator", "validator-" + member);
    ids.put("validator-instance", "validator-" + member + "-instance");
    ids.put("gateway", "gateway-" + member);
    ids.put("ledger", "ledger-" + member);
    StringBuilder secrets = new StringBuilder();
    for (Map.Entry<String, String> id : ids.entrySet()) {
      Path key = network.keys().get(id.getValue());
      if (key == null) {
        throw new IllegalStateException("no key generated for " + id.getValue());
      }
      secrets.append(keySecret("tally-key-" + id.getKey(), Files.readAllBytes(key)));
    }
    for (String service : List.of("validator", "ledger")) {
      String db = service + "_" + member;
      String password = passwords.get(db);
      if (password == null) {
        throw new IllegalStateException("no password generated for " + db);
      }
      secrets.append(databaseSecret("tally-db-" + service, db, password));
    }
    StringBuilder configMaps = new StringBuilder(genesis(Files.readAllBytes(network.genesis())));
    configMaps
        .append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tally-member\n")
        .append(labels())
        .append("data:\n")
        .append("  member: \"")
        .append(member)
        .append("\"\n");
    Map<String, String> names = new LinkedHashMap<>();
    names.put("validator-id", "validator-" + member);
    names.put("validator-instance-id", "validator-" + member + "-instance");
    names.put("gateway-instance-id", "gateway-" + member);
    names.put("ledger-instance-id", "ledger-" + member);
    for (Map.Entry<String, String> name : names.entrySet()) {
      configMaps
          .append("  ")
          .append(name.getKey())
          .append(": \"")
          .append(name.getValue())
          .append("\"\n");
    }
    write(dir, secrets.toString(), configMaps.toString());
  }

  private static void write(Path dir, String secrets, String configMaps) throws IOException {
    Files.createDirectories(dir);
    Path secretsFile = dir.resolve("secrets.yaml");
    Files.writeString(secretsFile, secrets);
    if (secretsFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(secretsFile, PosixFilePermissions.fromString("rw-------"));
    }
    Files.writeString(dir.resolve("configmaps.yaml"), configMaps);
    Files.writeString(
        dir.resolve("namespace.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + NAMESPACE + "\n" + labels());
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        "# Written by tally network init. Holds private keys: never commit it.\n"
            + "apiVersion: kustomize.config.k8s.io/v1beta1\n"
            + "kind: Kustomization\n"
            + "namespace: "
            + NAMESPACE
            + "\n"
            + "resources:\n"
            + "  - namespace.yaml\n"
            + "  - secrets.yaml\n"
            + "  - configmaps.yaml\n");
  }

  /** The genesis as exact bytes ({@code binaryData}): its hash is part of every signature. */
  private static String genesis(byte[] genesis) {
    return "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tally-genesis\n"
        + labels()
        + "binaryData:\n  network.json: "
        + Base64.getEncoder().encodeToString(genesis)
        + "\n";
  }

  private static String keySecret(String name, byte[] keyFile) {
    return secret(name, "Opaque", Map.of("key", keyFile));
  }

  private static String databaseSecret(String name, String user, String password) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    data.put("username", user.getBytes(StandardCharsets.UTF_8));
    data.put("password", password.getBytes(StandardCharsets.UTF_8));
    return secret(name, "kubernetes.io/basic-auth", data);
  }

  private static String secret(String name, String type, Map<String, byte[]> data) {
    StringBuilder yaml =
        new StringBuilder("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ")
            .append(name)
            .append('\n')
            .append(labels())
            .append("type: ")
            .append(type)
            .append("\ndata:\n");
    for (Map.Entry<String, byte[]> entry : data.entrySet()) {
      yaml.append("  ")
          .append(entry.getKey())
          .append(": ")
          .append(Base64.getEncoder().encodeToString(entry.getValue()))
          .append('\n');
    }
    return yaml.toString();
  }

  private static String labels() {
    return "  labels:\n    app.kubernetes.io/name: tally\n    app.kubernetes.io/part-of: tally\n";
  }
}
