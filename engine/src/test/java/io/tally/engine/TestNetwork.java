package io.tally.engine;

import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.GenesisException;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.GeneralJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A small network for engine tests: a genesis with 4 validators, 3 administrators (g = 2) and two
 * log-writing instances, deterministic keys, and builders for signed log records. Log time starts
 * at {@link #T0} and only moves when a test says so.
 */
final class TestNetwork {

  static final long T0 = 1_764_000_000_000L;

  static SigningKey key(String name) {
    return SigningKey.fromSeed(
        Sha256.of(("tally-engine-test-" + name).getBytes(StandardCharsets.UTF_8)).toBytes());
  }

  static final SigningKey ADMIN_1 = key("admin-1");
  static final SigningKey ADMIN_2 = key("admin-2");
  static final SigningKey ADMIN_3 = key("admin-3");
  static final SigningKey GATEWAY = key("gateway-1");
  static final SigningKey IDENTITY = key("identity-1");
  static final SigningKey VALIDATOR_INSTANCE = key("validator-1-instance");
  static final SigningKey BANK_A = key("bank-a");
  static final SigningKey BANK_B = key("bank-b");
  static final SigningKey BANK_C = key("bank-c");

  static final Genesis GENESIS = genesis();

  private static Genesis genesis() {
    List<Member> validators = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      validators.add(new Member("validator-" + i, key("validator-" + i).verificationKey()));
    }
    try {
      return Genesis.parse(
          Genesis.write(
              "tally-engine-test",
              validators,
              3,
              List.of(
                  new Member("admin-1", ADMIN_1.verificationKey()),
                  new Member("admin-2", ADMIN_2.verificationKey()),
                  new Member("admin-3", ADMIN_3.verificationKey())),
              2,
              List.of(
                  new Member("gateway-1", GATEWAY.verificationKey()),
                  new Member("identity-1", IDENTITY.verificationKey()),
                  new Member("validator-1-instance", VALIDATOR_INSTANCE.verificationKey()))));
    } catch (GenesisException e) {
      throw new AssertionError(e);
    }
  }

  private final EnvelopeWriter gateway = new EnvelopeWriter("gateway-1", 1, GATEWAY);
  private final EnvelopeWriter identity = new EnvelopeWriter("identity-1", 1, IDENTITY);
  private final EnvelopeWriter validator =
      new EnvelopeWriter("validator-1-instance", 1, VALIDATOR_INSTANCE);
  private long nextOffset;
  long now = T0;
  private int nextId;

  /** A fresh instruction id. */
  String id() {
    nextId++;
    return "i-" + nextId;
  }

  /** The default notAfter: one minute after the current log time. */
  long notAfter() {
    return now + 60_000;
  }

  LogRecord record(byte[] value) {
    return new LogRecord(nextOffset++, now, value);
  }

  LogRecord record(Envelope envelope) {
    return record(envelope.toBytes());
  }

  /** An instruction signed by {@code signers}, sealed by the gateway. */
  LogRecord instruction(byte[] payload, SigningKey... signers) {
    GeneralJws jws = GeneralJws.sign(JwsType.INSTRUCTION, payload, Arrays.asList(signers));
    return record(gateway.next(EnvelopeType.INSTRUCTION, jws.toBytes()));
  }

  /** A governance change approved by {@code admins}, sealed by identity-service. */
  LogRecord governance(byte[] payload, SigningKey... admins) {
    GeneralJws jws =
        GeneralJws.combine(
            Arrays.stream(admins)
                .map(k -> CompactJws.sign(JwsType.GOVERNANCE, payload, k))
                .toList());
    return record(identity.next(EnvelopeType.GOVERNANCE, jws.toBytes()));
  }

  LogRecord cut(long height) {
    byte[] body = new JsonWriter().beginObject().member("height", height).endObject().toUtf8();
    return record(validator.next(EnvelopeType.CUT, body));
  }

  LogRecord gatewayRecord(EnvelopeType type, byte[] body) {
    return record(gateway.next(type, body));
  }

  // ------------------------------------------------------------ payloads

  static byte[] json(Consumer<JsonWriter> members) {
    JsonWriter json = new JsonWriter().beginObject();
    members.accept(json);
    return json.endObject().toUtf8();
  }

  byte[] openAccount(String id, String account, String owner, String asset, String... flags) {
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
  record Leg(String debit, String credit, String asset, String amount) {}

  static Leg leg(String debit, String credit, String asset, long amount) {
    return new Leg(debit, credit, asset, Long.toString(amount));
  }

  byte[] settle(String id, Leg... legs) {
    return settle(id, notAfter(), legs);
  }

  static byte[] settle(String id, long notAfter, Leg... legs) {
    return json(
        j -> {
          j.member("id", id).member("kind", "settle").member("notAfter", notAfter);
          writeLegs(j, legs);
        });
  }

  byte[] reserve(String id, long expiresAt, List<String> controllers, Leg... legs) {
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

  byte[] close(String id, String kind, String reservation) {
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

  byte[] registerParticipant(String id, String participant, SigningKey... keys) {
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

  byte[] registerAsset(String id, String code, int scale, String issuer) {
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

  byte[] participantChange(String id, String kind, String participant) {
    long notAfter = notAfter();
    return json(
        j ->
            j.member("id", id)
                .member("kind", kind)
                .member("notAfter", notAfter)
                .member("participant", participant));
  }

  byte[] addKey(String id, String participant, SigningKey key) {
    long notAfter = notAfter();
    return json(
        j -> {
          j.member("id", id).member("kind", "add-key").member("notAfter", notAfter);
          j.member("participant", participant).name("key");
          key.verificationKey().toJwk().writeTo(j);
        });
  }

  byte[] revokeKey(String id, String participant, String keyId) {
    long notAfter = notAfter();
    return json(
        j ->
            j.member("id", id)
                .member("kind", "revoke-key")
                .member("notAfter", notAfter)
                .member("participant", participant)
                .member("kid", keyId));
  }

  byte[] rotateKey(String id, String participant, SigningKey add, String revokeKeyId) {
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
  List<LogRecord> world() {
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
