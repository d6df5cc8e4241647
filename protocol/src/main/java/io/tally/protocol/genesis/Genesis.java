package io.tally.protocol.genesis;

import io.tally.protocol.Limits;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.keys.Jwk;
import io.tally.protocol.keys.VerificationKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The loaded genesis file ({@code network.json}), version 1:
 *
 * <pre>
 * {"version":1,"network":"tally-local",
 *  "validators":{"quorum":3,"members":[{"id":"validator-1","key":{JWK}}, ...]},
 *  "governance":{"threshold":2,"members":[{"id":"admin-1","key":{JWK}}, ...]},
 *  "instances":[{"id":"gateway-1","role":"gateway","key":{JWK}}, ...],
 *  "rules":{"legsMax":16, ...}}
 * </pre>
 *
 * <p>Loading checks: the shape (unknown members refused), ids and keys distinct across the whole
 * file, 1 to {@link Limits#GENESIS_MEMBERS_MAX} validators with a quorum {@code q} that no {@code f
 * = floor((n-1)/3)} faulty validators can split (see {@link #quorumMin(int)}), 2 to {@code m}
 * governance signatures (never one key alone), a known {@link Role} for every instance (what it may
 * produce; readers enforce it), and the optional {@code rules} within their bounds ({@link
 * GenesisRules}; a genesis without them gives the engine's defaults). The network is identified by
 * the SHA-256 of the file's bytes exactly as loaded, so the file is never re-serialized.
 */
public final class Genesis {

  /** The only genesis format version this code reads. */
  public static final int VERSION = 1;

  private final Hash hash;
  private final String network;
  private final Committee validators;
  private final Committee governance;
  private final Committee instances;
  private final Map<String, Role> roles;
  private final GenesisRules rules;

  private Genesis(
      Hash hash,
      String network,
      Committee validators,
      Committee governance,
      List<Instance> instances,
      GenesisRules rules) {
    this.hash = hash;
    this.rules = rules;
    this.network = network;
    this.validators = validators;
    this.governance = governance;
    this.instances = new Committee(instances.stream().map(Instance::member).toList(), 1);
    Map<String, Role> byId = new HashMap<>();
    for (Instance instance : instances) {
      byId.put(instance.id(), instance.role());
    }
    this.roles = Map.copyOf(byId);
  }

  /** Loads and checks the genesis file at {@code path}. */
  public static Genesis load(Path path) throws IOException, GenesisException {
    if (Files.size(path) > Limits.GENESIS_BYTES_MAX) {
      throw new GenesisException(
          path + " exceeds the genesis limit of " + Limits.GENESIS_BYTES_MAX + " bytes");
    }
    return parse(Files.readAllBytes(path));
  }

  /** Loads and checks genesis bytes. */
  public static Genesis parse(byte[] bytes) throws GenesisException {
    if (bytes.length > Limits.GENESIS_BYTES_MAX) {
      throw new GenesisException("genesis exceeds " + Limits.GENESIS_BYTES_MAX + " bytes");
    }
    try {
      JsonObject root = JsonReader.parseObject(bytes, Limits.JSON_DEPTH_MAX);
      root.requireOnly(
          Set.of("version", "network", "validators", "governance", "instances", "rules"));
      if (root.integer("version") != VERSION) {
        throw new GenesisException("genesis version must be " + VERSION);
      }
      String network = root.string("network");
      if (!Member.ID_PATTERN.matcher(network).matches()) {
        throw new GenesisException("network id must match " + Member.ID_PATTERN.pattern());
      }

      JsonObject validatorsJson = root.object("validators");
      validatorsJson.requireOnly(Set.of("quorum", "members"));
      List<Member> validatorMembers = members(validatorsJson, "validators");
      if (validatorMembers.isEmpty()) {
        throw new GenesisException("genesis needs at least one validator");
      }
      long quorum = validatorsJson.integer("quorum");
      int n = validatorMembers.size();
      if (quorum < quorumMin(n) || quorum > n) {
        throw new GenesisException(
            "validator quorum must be between "
                + quorumMin(n)
                + " and "
                + n
                + " for "
                + n
                + " validators, got "
                + quorum);
      }

      JsonObject governanceJson = root.object("governance");
      governanceJson.requireOnly(Set.of("threshold", "members"));
      List<Member> governanceMembers = members(governanceJson, "governance");
      long threshold = governanceJson.integer("threshold");
      if (threshold < 2 || threshold > governanceMembers.size()) {
        throw new GenesisException(
            "governance threshold must be between 2 and the "
                + governanceMembers.size()
                + " governance keys, got "
                + threshold);
      }

      List<Object> instanceItems = root.array("instances", Integer.MAX_VALUE);
      List<Member> instanceMembers = membersArray(instanceItems, "instances", true);
      List<Instance> instances = new ArrayList<>();
      for (int i = 0; i < instanceMembers.size(); i++) {
        Member member = instanceMembers.get(i);
        String role = ((JsonObject) instanceItems.get(i)).string("role");
        instances.add(
            new Instance(
                member,
                Role.fromWireName(role)
                    .orElseThrow(
                        () ->
                            new GenesisException(
                                "instance "
                                    + member.id()
                                    + " has the unknown role \""
                                    + role
                                    + "\" (known: gateway, identity, validator, ledger)"))));
      }

      requireDistinct(validatorMembers, governanceMembers, instanceMembers);
      GenesisRules rules = root.has("rules") ? rules(root.object("rules")) : GenesisRules.NONE;
      return new Genesis(
          Sha256.of(bytes),
          network,
          new Committee(validatorMembers, (int) quorum),
          new Committee(governanceMembers, (int) threshold),
          instances,
          rules);
    } catch (JsonException e) {
      throw new GenesisException("genesis: " + e.getMessage(), e);
    }
  }

  /**
   * The smallest safe quorum for {@code n} validators: at least {@code 2f + 1} with {@code f =
   * floor((n-1)/3)}, and large enough that any two quorums share at least {@code f + 1} validators,
   * so at least one honest one ({@code 2q - n >= f + 1}). For {@code n = 3f + 1} both give {@code
   * 2f + 1}; for other sizes the second is stricter (5 validators need 4, not 3).
   */
  public static int quorumMin(int n) {
    int f = (n - 1) / 3;
    return Math.max(2 * f + 1, (n + f) / 2 + 1);
  }

  /** SHA-256 of the genesis bytes: the network's identity, carried in every block header. */
  public Hash hash() {
    return hash;
  }

  /** The human-readable network id. */
  public String network() {
    return network;
  }

  /** The validators; {@link Committee#threshold()} is the quorum {@code q}. */
  public Committee validators() {
    return validators;
  }

  /** The governance administrators; {@link Committee#threshold()} is {@code g}. */
  public Committee governance() {
    return governance;
  }

  /** The service instances allowed to produce envelopes (each one's role says which types). */
  public Committee instances() {
    return instances;
  }

  /**
   * The rules the network's engines enforce, as the genesis gives them: {@link GenesisRules#NONE}
   * when it has no {@code rules}, and each missing member empty (the engine's default).
   */
  public GenesisRules rules() {
    return rules;
  }

  /** The role of instance {@code id}, or empty if the genesis has no such instance. */
  public Optional<Role> role(String id) {
    return Optional.ofNullable(roles.get(id));
  }

  /**
   * Writes a version-1 genesis file's bytes without {@code rules} (for tools that create networks):
   * its engines enforce the defaults. The result loads with {@link #parse(byte[])} if the arguments
   * satisfy its rules.
   */
  public static byte[] write(
      String network,
      List<Member> validators,
      int quorum,
      List<Member> governance,
      int threshold,
      List<Instance> instances) {
    return write(network, validators, quorum, governance, threshold, instances, GenesisRules.NONE);
  }

  /**
   * Writes a version-1 genesis file's bytes with the rules given in {@code rules} (none given: no
   * {@code rules} member, the same bytes as the form without it). The result loads with {@link
   * #parse(byte[])} if the arguments satisfy its rules.
   */
  public static byte[] write(
      String network,
      List<Member> validators,
      int quorum,
      List<Member> governance,
      int threshold,
      List<Instance> instances,
      GenesisRules rules) {
    JsonWriter json =
        new JsonWriter().beginObject().member("version", VERSION).member("network", network);
    json.name("validators").beginObject().member("quorum", quorum).name("members");
    writeMembers(json, validators).endObject();
    json.name("governance").beginObject().member("threshold", threshold).name("members");
    writeMembers(json, governance).endObject();
    json.name("instances").beginArray();
    for (Instance instance : instances) {
      json.beginObject().member("id", instance.id()).member("role", instance.role().wireName());
      json.name("key");
      instance.member().key().toJwk().writeTo(json);
      json.endObject();
    }
    json.endArray();
    if (!rules.isEmpty()) {
      writeRules(json.name("rules").beginObject(), rules).endObject();
    }
    return json.endObject().toUtf8();
  }

  private static JsonWriter writeRules(JsonWriter json, GenesisRules rules) {
    rules.legsMax().ifPresent(value -> json.member("legsMax", value));
    rules.blockEntriesMax().ifPresent(value -> json.member("blockEntriesMax", value));
    rules.instructionWindowMs().ifPresent(value -> json.member("instructionWindowMs", value));
    rules.governanceWindowMs().ifPresent(value -> json.member("governanceWindowMs", value));
    rules.reservationTtlMaxMs().ifPresent(value -> json.member("reservationTtlMaxMs", value));
    rules.keysMax().ifPresent(value -> json.member("keysMax", value));
    return json;
  }

  /** Reads the {@code rules} member: only known names, each an integer within its bounds. */
  private static GenesisRules rules(JsonObject json) throws JsonException, GenesisException {
    json.requireOnly(
        Set.of(
            "legsMax",
            "blockEntriesMax",
            "instructionWindowMs",
            "governanceWindowMs",
            "reservationTtlMaxMs",
            "keysMax"));
    return new GenesisRules(
        intRule(json, "legsMax", GenesisRules.LEGS_MAX_HIGHEST),
        intRule(json, "blockEntriesMax", GenesisRules.BLOCK_ENTRIES_MAX_HIGHEST),
        windowRule(json, "instructionWindowMs", GenesisRules.INSTRUCTION_WINDOW_MS_HIGHEST),
        windowRule(json, "governanceWindowMs", GenesisRules.GOVERNANCE_WINDOW_MS_HIGHEST),
        windowRule(json, "reservationTtlMaxMs", GenesisRules.RESERVATION_TTL_MAX_MS_HIGHEST),
        intRule(json, "keysMax", GenesisRules.KEYS_MAX_HIGHEST));
  }

  private static OptionalInt intRule(JsonObject json, String name, int highest)
      throws JsonException, GenesisException {
    if (!json.has(name)) {
      return OptionalInt.empty();
    }
    long value = json.integer(name);
    requireWithin(name, value, 1, highest);
    return OptionalInt.of((int) value);
  }

  private static OptionalLong windowRule(JsonObject json, String name, long highest)
      throws JsonException, GenesisException {
    if (!json.has(name)) {
      return OptionalLong.empty();
    }
    long value = json.integer(name);
    requireWithin(name, value, GenesisRules.WINDOW_MS_LOWEST, highest);
    return OptionalLong.of(value);
  }

  private static void requireWithin(String name, long value, long lowest, long highest)
      throws GenesisException {
    String broken = GenesisRules.outside(name, value, lowest, highest);
    if (broken != null) {
      throw new GenesisException(broken);
    }
  }

  private static JsonWriter writeMembers(JsonWriter json, List<Member> members) {
    json.beginArray();
    for (Member member : members) {
      json.beginObject().member("id", member.id()).name("key");
      member.key().toJwk().writeTo(json);
      json.endObject();
    }
    return json.endArray();
  }

  private static List<Member> members(JsonObject committee, String name)
      throws JsonException, GenesisException {
    return membersArray(committee.array("members", Integer.MAX_VALUE), name, false);
  }

  private static List<Member> membersArray(List<Object> items, String name, boolean withRole)
      throws JsonException, GenesisException {
    if (items.size() > Limits.GENESIS_MEMBERS_MAX) {
      throw new GenesisException(
          name + " lists more than " + Limits.GENESIS_MEMBERS_MAX + " members");
    }
    List<Member> members = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof JsonObject member)) {
        throw new GenesisException(name + " members must be objects");
      }
      member.requireOnly(withRole ? Set.of("id", "role", "key") : Set.of("id", "key"));
      String id = member.string("id");
      if (!Member.ID_PATTERN.matcher(id).matches()) {
        throw new GenesisException(
            name + " member id \"" + id + "\" must match " + Member.ID_PATTERN.pattern());
      }
      VerificationKey key;
      try {
        key = Jwk.read(member.object("key")).key();
      } catch (VerificationException e) {
        throw new GenesisException(name + " member " + id + ": " + e.getMessage(), e);
      }
      members.add(new Member(id, key));
    }
    return members;
  }

  @SafeVarargs
  private static void requireDistinct(List<Member>... groups) throws GenesisException {
    Set<String> ids = new HashSet<>();
    Set<VerificationKey> keys = new HashSet<>();
    for (List<Member> group : groups) {
      for (Member member : group) {
        if (!ids.add(member.id())) {
          throw new GenesisException("id " + member.id() + " appears twice in the genesis");
        }
        if (!keys.add(member.key())) {
          throw new GenesisException(
              "key " + member.key().keyId() + " appears twice in the genesis");
        }
      }
    }
  }

  @Override
  public String toString() {
    return "Genesis[" + network + ", " + hash.toHex() + "]";
  }
}
