package io.tally.client;

import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.Instance;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.genesis.Role;
import io.tally.protocol.keys.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates a network: a key for every validator, log-writing instance and administrator, and the
 * genesis that lists them. Used by {@code tally network init} and by the devstack.
 */
public final class NetworkGenerator {

  private NetworkGenerator() {}

  /** An instance of the genesis to create: its id and role. */
  public record InstanceSpec(String id, Role role) {}

  /**
   * What the network consists of. {@code q} is the smallest quorum that tolerates the most faulty
   * validators ({@link Genesis#quorumMin}).
   */
  public record Layout(
      String network,
      List<String> validators,
      List<InstanceSpec> instances,
      List<String> administrators,
      int governanceThreshold) {

    public Layout {
      validators = List.copyOf(validators);
      instances = List.copyOf(instances);
      administrators = List.copyOf(administrators);
    }
  }

  /** The genesis file and every private key file written, by id. */
  public record Generated(Path genesis, Map<String, Path> keys) {}

  /**
   * Writes {@code dir/network.json} and {@code dir/keys/<id>.key} for every id of {@code layout}.
   * Never overwrites a key.
   *
   * @throws java.nio.file.FileAlreadyExistsException if a key file exists already
   */
  public static Generated generate(Path dir, Layout layout) throws IOException {
    Path keys = dir.resolve("keys");
    Files.createDirectories(keys);
    if (keys.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
    }
    Map<String, Path> files = new LinkedHashMap<>();
    List<Member> validators = new ArrayList<>();
    for (String id : layout.validators()) {
      validators.add(member(id, keys, files));
    }
    List<Instance> instances = new ArrayList<>();
    for (InstanceSpec instance : layout.instances()) {
      instances.add(new Instance(member(instance.id(), keys, files), instance.role()));
    }
    List<Member> administrators = new ArrayList<>();
    for (String id : layout.administrators()) {
      administrators.add(member(id, keys, files));
    }
    byte[] genesis =
        Genesis.write(
            layout.network(),
            validators,
            Genesis.quorumMin(validators.size()),
            administrators,
            layout.governanceThreshold(),
            instances);
    // The rules a node applies when it loads the file, checked before anything depends on it.
    try {
      Genesis.parse(genesis);
    } catch (io.tally.protocol.genesis.GenesisException e) {
      throw new IllegalArgumentException("the network would not load: " + e.getMessage(), e);
    }
    Path file = dir.resolve("network.json");
    Files.write(file, genesis);
    return new Generated(file, files);
  }

  private static Member member(String id, Path keys, Map<String, Path> files) throws IOException {
    Path file = keys.resolve(id + ".key");
    SigningKey key = Keys.generate(file);
    files.put(id, file);
    return new Member(id, key.verificationKey());
  }
}
