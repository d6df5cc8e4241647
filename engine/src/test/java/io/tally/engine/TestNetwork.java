package io.tally.engine;

import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.envelope.Stream;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.GenesisException;
import io.tally.protocol.genesis.GenesisRules;
import io.tally.protocol.genesis.Instance;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.genesis.Role;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.Jwk;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A small network for engine tests: a genesis with 4 validators, 3 administrators (g = 2) and two
 * log-writing instances, deterministic keys, and builders for signed log records. Log time starts
 * at {@link #T0} and only moves when a test says so.
 */
public final class TestNetwork {

  public static final long T0 = 1_764_000_000_000L;

  private static final Map<String, SigningKey> KEYS_BY_ID = new ConcurrentHashMap<>();

  public static SigningKey key(String name) {
    SigningKey key =
        SigningKey.fromSeed(
            Sha256.of(("tally-engine-test-" + name).getBytes(StandardCharsets.UTF_8)).toBytes());
    KEYS_BY_ID.put(key.keyId(), key);
    return key;
  }

  public static final SigningKey ADMIN_1 = key("admin-1");
  public static final SigningKey ADMIN_2 = key("admin-2");
  public static final SigningKey ADMIN_3 = key("admin-3");
  public static final SigningKey GATEWAY = key("gateway-1");
  public static final SigningKey IDENTITY = key("identity-1");
  public static final SigningKey LEDGER = key("ledger-1");
  public static final SigningKey VALIDATOR_INSTANCE = key("validator-1-instance");
  public static final SigningKey BANK_A = key("bank-a");
  public static final SigningKey BANK_B = key("bank-b");
  public static final SigningKey BANK_C = key("bank-c");

  /**
   * The genesis file: validators {@code validator-1..4} (q = 3), administrators {@code admin-1..3}
   * (g = 2), instances {@code gateway-1}, {@code identity-1} and {@code
   * validator-1-instance..validator-4-instance}; every key is {@link #key(String)} of its id.
   */
  public static final byte[] GENESIS_BYTES = genesisBytes(GenesisRules.NONE);

  public static final Genesis GENESIS = parse(GENESIS_BYTES);

  /**
   * The network of {@link #GENESIS} with {@code rules} in its genesis: the same validators,
   * administrators and instances (so every record this class builds opens there too), another
   * network hash. With {@link GenesisRules#NONE} it is {@link #GENESIS} byte for byte.
   */
  public static Genesis genesisWith(GenesisRules rules) {
    return parse(genesisBytes(rules));
  }

  private static byte[] genesisBytes(GenesisRules rules) {
    List<Member> validators = new ArrayList<>();
    List<Instance> instances = new ArrayList<>();
    instances.add(instance("gateway-1", GATEWAY, Role.GATEWAY));
    instances.add(instance("identity-1", IDENTITY, Role.IDENTITY));
    instances.add(instance("ledger-1", LEDGER, Role.LEDGER));
    instances.add(instance("ledger-2", key("ledger-2"), Role.LEDGER));
    for (int i = 1; i <= 4; i++) {
      validators.add(new Member("validator-" + i, key("validator-" + i).verificationKey()));
      String instance = "validator-" + i + "-instance";
      instances.add(instance(instance, key(instance), Role.VALIDATOR));
    }
    return Genesis.write(
        "tally-engine-test",
        validators,
        3,
        List.of(
            new Member("admin-1", ADMIN_1.verificationKey()),
            new Member("admin-2", ADMIN_2.verificationKey()),
            new Member("admin-3", ADMIN_3.verificationKey())),
        2,
        instances,
        rules);
  }

  private static Instance instance(String id, SigningKey key, Role role) {
    return new Instance(new Member(id, key.verificationKey()), role);
  }

  private static Genesis parse(byte[] bytes) {
    try {
      return Genesis.parse(bytes);
    } catch (GenesisException e) {
      throw new AssertionError(e);
    }
  }

  /** This shard's log (shard 0). */
  public static final Stream LOG = Stream.log(0);

  private final EnvelopeWriter gateway = new EnvelopeWriter("gateway-1", LOG, 1, GATEWAY);
  private final EnvelopeWriter identity = new EnvelopeWriter("identity-1", LOG, 1, IDENTITY);
  private final EnvelopeWriter validator =
      new EnvelopeWriter("validator-1-instance", LOG, 1, VALIDATOR_INSTANCE);
  private final EnvelopeWriter validatorVotes =
      new EnvelopeWriter("validator-1-instance", Stream.votes(0), 1, VALIDATOR_INSTANCE);
  private long nextOffset;
  public long now = T0;
  private int nextId;

  /** A fresh instruction id. */
  public String id() {
    nextId++;
    return "i-" + nextId;
  }

  /** The default notAfter: one minute after the current log time. */
  public long notAfter() {
    return now + 60_000;
  }

  public LogRecord record(byte[] value) {
    return new LogRecord(nextOffset++, now, value);
  }

  public LogRecord record(Envelope envelope) {
    return record(envelope.toBytes());
  }

  /** An instruction signed by {@code signers}, sealed by the gateway. */
  public LogRecord instruction(byte[] payload, SigningKey... signers) {
    GeneralJws jws = GeneralJws.sign(JwsType.INSTRUCTION, payload, Arrays.asList(signers));
    return record(gateway.next(EnvelopeType.INSTRUCTION, jws.toBytes()));
  }

  /**
   * A governance change approved by {@code admins}, sealed by identity-service; every key the
   * change brings in (registration, add, rotate) signs too, as its proof of possession.
   */
  public LogRecord governance(byte[] payload, SigningKey... admins) {
    List<SigningKey> signers = new ArrayList<>(Arrays.asList(admins));
    for (SigningKey key : introducedKeys(payload)) {
      if (!signers.contains(key)) {
        signers.add(key);
      }
    }
    return governanceSignedBy(payload, signers);
  }

  /** A governance change signed by exactly {@code signers}: no proof of possession is added. */
  public LogRecord governanceSignedBy(byte[] payload, List<SigningKey> signers) {
    GeneralJws jws =
        GeneralJws.combine(
            signers.stream().map(k -> CompactJws.sign(JwsType.GOVERNANCE, payload, k)).toList());
    return record(identity.next(EnvelopeType.GOVERNANCE, jws.toBytes()));
  }

  /** The keys made by {@link #key} that a payload's {@code keys} or {@code key} member names. */
  private static List<SigningKey> introducedKeys(byte[] payload) {
    List<SigningKey> keys = new ArrayList<>();
    try {
      JsonObject json = JsonReader.parseObject(payload, 8);
      List<Object> jwks = new ArrayList<>();
      if (json.has("keys")) {
        jwks.addAll(json.array("keys", 64));
      }
      if (json.has("key")) {
        jwks.add(json.object("key"));
      }
      for (Object jwk : jwks) {
        SigningKey key = KEYS_BY_ID.get(Jwk.read((JsonObject) jwk).keyId());
        if (key != null) {
          keys.add(key);
        }
      }
    } catch (JsonException | VerificationException e) {
      // Not a payload with keys (tests also send malformed ones): nothing to prove.
    }
    return keys;
  }

  public LogRecord cut(long height) {
    byte[] body = new JsonWriter().beginObject().member("height", height).endObject().toUtf8();
    return record(validator.next(EnvelopeType.CUT, body));
  }

  public LogRecord gatewayRecord(EnvelopeType type, byte[] body) {
    return record(gateway.next(type, body));
  }

  /**
   * The vote envelope {@code validator-1-instance} writes to the votes topic (same producer and
   * epoch as its cut markers, its own chain), as a broker would copy it into the log.
   */
  public LogRecord voteCopiedIntoTheLog(byte[] body) {
    return record(validatorVotes.next(EnvelopeType.VOTE, body));
  }

  /**
   * A record sealed by {@code producer} with its test key, on {@code stream}, outside any chain.
   */
  public LogRecord sealedBy(String producer, Stream stream, EnvelopeType type, long seq) {
    return record(
        Envelope.seal(type, stream, producer, 9, seq, Hash.ZERO, new byte[] {1}, key(producer)));
  }

  // ------------------------------------------------------------ payloads

  public static byte[] json(Consumer<JsonWriter> members) {
    JsonWriter json = new JsonWriter().beginObject();
    members.accept(json);
    return json.endObject().toUtf8();
  }

  public byte[] openAccount(
      String id, String account, String owner, String asset, String... flags) {
    long notAfter = notAfter();
    return json(
        j -> {
          j.member("id", id).member("kind", "open-account").member("notAfter", notAfter);
          j.member("account", account).member("owner", owner).member("asset", asset);
          if (flags.length > 0) {
            j.name("flags").beginArray();
            for (String flag : flags) {
              j.value(flag);
            }
            j.endArray();
          }
        });
  }

  /** A leg as {debit, credit, asset, amount text}. */
  public record Leg(String debit, String credit, String asset, String amount) {}

  public static Leg leg(String debit, String credit, String asset, long amount) {
    return new Leg(debit, credit, asset, Long.toString(amount));
  }

  public byte[] settle(String id, Leg... legs) {
    return settle(id, notAfter(), legs);
  }

  public static byte[] settle(String id, long notAfter, Leg... legs) {
    return json(
        j -> {
          j.member("id", id).member("kind", "settle").member("notAfter", notAfter);
          writeLegs(j, legs);
        });
  }

  public byte[] reserve(String id, long expiresAt, List<String> controllers, Leg... legs) {
    long notAfter = notAfter();
    return json(
        j -> {
          j.member("id", id).member("kind", "reserve").member("notAfter", notAfter);
          writeLegs(j, legs);
          j.member("expiresAt", expiresAt);
          if (!controllers.isEmpty()) {
            j.name("controllers").beginArray();
            controllers.forEach(j::value);
            j.endArray();
          }
        });
  }

  public byte[] close(String id, String kind, String reservation) {
    long notAfter = notAfter();
    return json(
        j ->
            j.member("id", id)
                .member("kind", kind)
                .member("notAfter", notAfter)
                .member("reservation", reservation));
  }

  private static void writeLegs(JsonWriter j, Leg... legs) {
    j.name("legs").beginArray();
    for (Leg leg : legs) {
      j.beginObject()
          .member("debit", leg.debit())
          .member("credit", leg.credit())
          .member("asset", leg.asset())
          .member("amount", leg.amount())
          .endObject();
    }
    j.endArray();
  }

  public byte[] registerParticipant(String id, String participant, SigningKey... keys) {
    long notAfter = notAfter();
    return json(
        j -> {
          j.member("id", id).member("kind", "register-participant").member("notAfter", notAfter);
          j.member("participant", participant)
              .member("name", participant.toUpperCase(java.util.Locale.ROOT));
          j.name("roles").beginArray().value("settlement").endArray();
          j.name("keys").beginArray();
          for (SigningKey key : keys) {
            key.verificationKey().toJwk().writeTo(j);
          }
          j.endArray();
        });
  }

  public byte[] registerAsset(String id, String code, int scale, String issuer) {
    long notAfter = notAfter();
    return json(
        j ->
            j.member("id", id)
                .member("kind", "register-asset")
                .member("notAfter", notAfter)
                .member("asset", code)
                .member("scale", scale)
                .member("issuer", issuer));
  }

  public byte[] participantChange(String id, String kind, String participant) {
    long notAfter = notAfter();
    return json(
        j ->
            j.member("id", id)
                .member("kind", kind)
                .member("notAfter", notAfter)
                .member("participant", participant));
  }

  public byte[] addKey(String id, String participant, SigningKey key) {
    long notAfter = notAfter();
    return json(
        j -> {
          j.member("id", id).member("kind", "add-key").member("notAfter", notAfter);
          j.member("participant", participant).name("key");
          key.verificationKey().toJwk().writeTo(j);
        });
  }

  public byte[] revokeKey(String id, String participant, String keyId) {
    long notAfter = notAfter();
    return json(
        j ->
            j.member("id", id)
                .member("kind", "revoke-key")
                .member("notAfter", notAfter)
                .member("participant", participant)
                .member("kid", keyId));
  }

  public byte[] rotateKey(String id, String participant, SigningKey add, String revokeKeyId) {
    long notAfter = notAfter();
    return json(
        j -> {
          j.member("id", id).member("kind", "rotate-key").member("notAfter", notAfter);
          j.member("participant", participant).name("key");
          add.verificationKey().toJwk().writeTo(j);
          j.member("revoke", revokeKeyId);
        });
  }

  // ------------------------------------------------------------ a standard world

  /**
   * Registers bank-a (issuer of EUR, scale 2) and bank-b (issuer of BOND, scale 0), opens a-issue
   * (EUR issuance), a-eur, b-eur, b-issue (BOND issuance), b-bond, a-bond, and issues 1,000 EUR
   * minor units to a-eur and 100 BOND to b-bond. One block; every outcome accepted.
   */
  public List<LogRecord> world() {
    List<LogRecord> records = new ArrayList<>();
    records.add(governance(registerParticipant(id(), "bank-a", BANK_A), ADMIN_1, ADMIN_2));
    records.add(governance(registerParticipant(id(), "bank-b", BANK_B), ADMIN_1, ADMIN_3));
    records.add(governance(registerAsset(id(), "EUR", 2, "bank-a"), ADMIN_2, ADMIN_3));
    records.add(governance(registerAsset(id(), "BOND", 0, "bank-b"), ADMIN_2, ADMIN_3));
    records.add(instruction(openAccount(id(), "a-issue", "bank-a", "EUR", "issuance"), BANK_A));
    records.add(instruction(openAccount(id(), "a-eur", "bank-a", "EUR"), BANK_A));
    records.add(instruction(openAccount(id(), "b-eur", "bank-b", "EUR"), BANK_B));
    records.add(instruction(openAccount(id(), "b-issue", "bank-b", "BOND", "issuance"), BANK_B));
    records.add(instruction(openAccount(id(), "b-bond", "bank-b", "BOND"), BANK_B));
    records.add(instruction(openAccount(id(), "a-bond", "bank-a", "BOND"), BANK_A));
    records.add(instruction(settle(id(), leg("a-issue", "a-eur", "EUR", 1_000)), BANK_A));
    records.add(instruction(settle(id(), leg("b-issue", "b-bond", "BOND", 100)), BANK_B));
    return records;
  }
}
