package io.tally.testing.network;

import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.GenesisException;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.keys.PrivateKeyFile;
import io.tally.protocol.keys.SigningKey;
import io.tally.testing.LocalKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The wiring of a local Tally network, written once: a directory holding the genesis ({@code
 * network.json}) and one private key file per validator and instance ({@code keys/<id>.key}), and
 * the properties of each node on one broker, each with a database of its own. What the plan yields
 * is only properties ({@link Node}); how a node runs is its caller's choice: in this JVM ({@link
 * InProcess}) or as a process of its own ({@link NodeProcesses}).
 *
 * <pre>
 * NetworkPlan plan =
 *     NetworkPlan.in(dir)
 *         .genesis(TestNetwork.GENESIS_BYTES, TestNetwork::key) // or files already in dir
 *         .kafka(kafka.bootstrapServers())
 *         .databases(postgres::createDatabase)
 *         .verifierThreads(1)
 *         .build();
 * InProcess.start(ValidatorServiceApplication.builder(), plan.validator(1));
 * </pre>
 *
 * <p>Validator {@code i} is {@code validator-i} with instance {@code validator-i-instance};
 * ledgers, gateways and identity services are named by their instance id. A node asked for twice
 * has the same database both times, so a restarted node resumes from its own state.
 */
public final class NetworkPlan {

  private final Path dir;
  private final Map<String, String> common;
  private final Function<String, String> createDatabase;
  private final @Nullable Integer verifierThreads;
  private final Map<String, String> databases = new HashMap<>();

  private NetworkPlan(Builder builder) {
    this.dir = builder.dir;
    this.createDatabase = builder.createDatabase;
    this.verifierThreads = builder.verifierThreads;
    Map<String, String> common = new LinkedHashMap<>();
    common.put(
        "spring.kafka.bootstrap-servers",
        Objects.requireNonNull(builder.kafka, "the plan needs kafka(bootstrapServers)"));
    // A local network shows its health details (heights, evidence, errors) to whoever asks:
    // tests read them, and so does a developer at the devstack.
    common.put("management.endpoint.health.show-details", "always");
    this.common = common;
  }

  /** A plan whose files are, or will be written, in {@code dir}. */
  public static Builder in(Path dir) {
    return new Builder(dir);
  }

  /**
   * Creates the topics the services would create themselves, up front: {@code tally.log} with the
   * broker's append time and unlimited retention, {@code tally.votes} with unlimited retention,
   * {@code tally.finalized}; one partition each. For runs that write to the log before any service
   * is up, or that should not depend on which service creates them first.
   */
  public static void createTopics(LocalKafka kafka) {
    kafka.createTopic(
        "tally.log", 1, Map.of("message.timestamp.type", "LogAppendTime", "retention.ms", "-1"));
    kafka.createTopic("tally.votes", 1, Map.of("retention.ms", "-1"));
    kafka.createTopic("tally.finalized", 1, Map.of());
  }

  /** The directory the plan's files are in. */
  public Path dir() {
    return dir;
  }

  /** The genesis file, {@code network.json}. */
  public Path genesisFile() {
    return dir.resolve("network.json");
  }

  /** The private key file of validator or instance {@code id}, {@code keys/<id>.key}. */
  public Path keyFile(String id) {
    Path file = keyPath(dir, id);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no key file for " + id + " in " + dir.resolve("keys"));
    }
    return file;
  }

  /**
   * Validator {@code i}: validator {@code validator-i} with instance {@code validator-i-instance},
   * its keys, its database.
   */
  public Node validator(int i) {
    String id = "validator-" + i;
    String instance = id + "-instance";
    Map<String, String> properties = new LinkedHashMap<>(common);
    properties.put("spring.datasource.url", database(id));
    properties.put("tally.validator.genesis-file", genesisFile().toString());
    properties.put("tally.validator.validator-id", id);
    properties.put("tally.validator.validator-key-file", keyFile(id).toString());
    properties.put("tally.validator.instance-id", instance);
    properties.put("tally.validator.instance-key-file", keyFile(instance).toString());
    if (verifierThreads != null) {
      properties.put("tally.validator.verifier-threads", verifierThreads.toString());
    }
    return new Node(id, properties);
  }

  /** The ledger replica of instance {@code instanceId} (role {@code ledger}), its database. */
  public Node ledger(String instanceId) {
    Map<String, String> properties = new LinkedHashMap<>(common);
    properties.put("spring.datasource.url", database(instanceId));
    properties.put("tally.ledger.genesis-file", genesisFile().toString());
    properties.put("tally.ledger.instance-id", instanceId);
    properties.put("tally.ledger.instance-key-file", keyFile(instanceId).toString());
    if (verifierThreads != null) {
      properties.put("tally.ledger.verifier-threads", verifierThreads.toString());
    }
    return new Node(instanceId, properties);
  }

  /**
   * The gateway of instance {@code instanceId} (role {@code gateway}), reading receipts from the
   * ledger replica at {@code ledgerUrl}; a gateway has no database.
   */
  public Node gateway(String instanceId, String ledgerUrl) {
    Map<String, String> properties = new LinkedHashMap<>(common);
    properties.put("tally.gateway.genesis-file", genesisFile().toString());
    properties.put("tally.gateway.instance-id", instanceId);
    properties.put("tally.gateway.instance-key-file", keyFile(instanceId).toString());
    properties.put("tally.gateway.ledger-url", ledgerUrl);
    return new Node(instanceId, properties);
  }

  /** identity-service as instance {@code instanceId} (role {@code identity}), its database. */
  public Node identity(String instanceId) {
    Map<String, String> properties = new LinkedHashMap<>(common);
    properties.put("spring.datasource.url", database(instanceId));
    properties.put("tally.identity.genesis-file", genesisFile().toString());
    properties.put("tally.identity.instance-id", instanceId);
    properties.put("tally.identity.instance-key-file", keyFile(instanceId).toString());
    return new Node(instanceId, properties);
  }

  /** The JDBC URL of node {@code name}'s database, created the first time it is asked for. */
  private synchronized String database(String name) {
    return databases.computeIfAbsent(name, createDatabase);
  }

  private static Path keyPath(Path dir, String id) {
    return dir.resolve("keys").resolve(id + ".key");
  }

  /** What a plan is made of; {@link #build()} writes the files. */
  public static final class Builder {

    private final Path dir;
    private byte @Nullable [] genesisBytes;
    private @Nullable Function<String, SigningKey> keys;
    private @Nullable String kafka;
    private Function<String, String> createDatabase =
        name -> {
          throw new IllegalStateException("the plan has no databases; " + name + " needs one");
        };
    private @Nullable Integer verifierThreads;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /**
     * Writes {@code genesis} as {@code network.json} and, for every validator and instance it
     * lists, {@code keys.apply(id)} as {@code keys/<id>.key} (each checked against the genesis).
     * Without this, {@link #build()} uses the files already in the directory, as {@code tally
     * network init} (the client's {@code NetworkGenerator}) writes them.
     */
    public Builder genesis(byte[] genesis, Function<String, SigningKey> keys) {
      this.genesisBytes = genesis.clone();
      this.keys = keys;
      return this;
    }

    /** The broker every node uses ({@code host:port}). */
    public Builder kafka(String bootstrapServers) {
      this.kafka = bootstrapServers;
      return this;
    }

    /**
     * How a node's database is made: called once per node that has one, with the node's name, and
     * returns the new database's JDBC URL ({@code postgres::createDatabase}).
     */
    public Builder databases(Function<String, String> createDatabase) {
      this.createDatabase = createDatabase;
      return this;
    }

    /**
     * The signature-verifying threads of every validator and ledger ({@code verifier-threads});
     * unset, each service's default. Several nodes share the cores of one machine here.
     */
    public Builder verifierThreads(int threads) {
      this.verifierThreads = threads;
      return this;
    }

    /** Writes the files (if {@link #genesis} was given) and returns the plan. */
    public NetworkPlan build() throws IOException {
      Path file = dir.resolve("network.json");
      byte[] bytes = genesisBytes;
      Function<String, SigningKey> keyOf = keys;
      if (bytes != null && keyOf != null) {
        Genesis genesis = parse(bytes);
        Files.createDirectories(dir.resolve("keys"));
        Files.write(file, bytes);
        for (Member member : members(genesis)) {
          SigningKey key = keyOf.apply(member.id());
          if (!key.keyId().equals(member.key().keyId())) {
            throw new IllegalArgumentException(
                "the key given for " + member.id() + " is not the one in the genesis");
          }
          PrivateKeyFile.write(key, keyPath(dir, member.id()));
        }
        return new NetworkPlan(this);
      }
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException("no genesis given and none in " + file);
      }
      parse(Files.readAllBytes(file)); // a genesis that does not load fails here, not in 7 nodes
      return new NetworkPlan(this);
    }

    private static List<Member> members(Genesis genesis) {
      List<Member> members = new ArrayList<>(genesis.validators().members());
      members.addAll(genesis.instances().members());
      return members;
    }

    private static Genesis parse(byte[] bytes) {
      try {
        return Genesis.parse(bytes);
      } catch (GenesisException e) {
        throw new IllegalArgumentException("the genesis does not load: " + e.getMessage(), e);
      }
    }
  }
}
