package io.tally.protocol.envelope;

import io.tally.protocol.Limits;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.codec.Sha256;
import io.tally.protocol.genesis.Committee;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.keys.VerificationKey;
import java.util.Set;

/**
 * A verified (or freshly sealed) envelope. Its payload is
 *
 * <pre>
 * {"type":"instruction","producer":"gateway-1","epoch":3,"seq":41,"prev":"&lt;hex64&gt;","body":"&lt;base64url&gt;"}
 * </pre>
 *
 * signed as a compact JWS of kind {@link JwsType#ENVELOPE} by the producer's instance key named in
 * the genesis. {@code seq} counts the producer's records within one {@code epoch} from 0; {@code
 * prev} is the {@link #hash()} of the producer's previous record in that epoch ({@link Hash#ZERO}
 * at {@code seq} 0). The body is carried as base64url bytes, so signed inner objects (instruction
 * JWSs) pass through unchanged.
 */
public final class Envelope {

  private static final Set<String> MEMBERS =
      Set.of("type", "producer", "epoch", "seq", "prev", "body");

  private final EnvelopeType type;
  private final String producer;
  private final long epoch;
  private final long seq;
  private final Hash prev;
  private final byte[] body;
  private final CompactJws jws;
  private final Hash hash;

  private Envelope(
      EnvelopeType type,
      String producer,
      long epoch,
      long seq,
      Hash prev,
      byte[] body,
      CompactJws jws) {
    this.type = type;
    this.producer = producer;
    this.epoch = epoch;
    this.seq = seq;
    this.prev = prev;
    this.body = body;
    this.jws = jws;
    this.hash = Sha256.of(jws.toBytes());
  }

  /**
   * Seals {@code body} as the record {@code seq} of {@code producer}'s {@code epoch}. Producers
   * normally use {@link EnvelopeWriter}, which keeps the chain.
   */
  public static Envelope seal(
      EnvelopeType type,
      String producer,
      long epoch,
      long seq,
      Hash prev,
      byte[] body,
      SigningKey producerKey) {
    if (!Member.ID_PATTERN.matcher(producer).matches() || epoch < 0 || seq < 0) {
      throw new IllegalArgumentException("invalid producer id, epoch or sequence number");
    }
    byte[] payload =
        new JsonWriter()
            .beginObject()
            .member("type", type.wireName())
            .member("producer", producer)
            .member("epoch", epoch)
            .member("seq", seq)
            .member("prev", prev.toHex())
            .member("body", Base64Url.encode(body))
            .endObject()
            .toUtf8();
    CompactJws jws = CompactJws.sign(JwsType.ENVELOPE, payload, producerKey);
    return new Envelope(type, producer, epoch, seq, prev, body.clone(), jws);
  }

  /**
   * Opens a Kafka record value: parses, verifies the signature against the instance keys of the
   * genesis, and checks that the signing key belongs to the producer the envelope names.
   *
   * @throws VerificationException the reasons of {@link CompactJws}, {@link Reason#MALFORMED} for a
   *     payload of the wrong shape, or {@link Reason#SIGNER_UNKNOWN} for a key that is no
   *     instance's or belongs to another producer than the one named
   */
  public static Envelope open(byte[] recordValue, Committee instances)
      throws VerificationException {
    Envelope envelope = parse(recordValue, instances);
    envelope.verifySeal(instances);
    return envelope;
  }

  /**
   * Reads a Kafka record value like {@link #open} but leaves the Ed25519 check of the seal to
   * {@link #verifySeal}: for readers that may authenticate the exact bytes through a later record
   * of the same producer, whose signed {@code prev} is their hash (ADR 0011). The key id must still
   * name an instance key of the producer the envelope names. When the payload is unreadable or
   * names another producer, the seal is checked first, so a forged record fails as {@link
   * Reason#SIGNATURE_INVALID} exactly as with {@link #open}.
   *
   * @throws VerificationException as {@link #open}, except a bad signature on a readable payload
   */
  public static Envelope parse(byte[] recordValue, Committee instances)
      throws VerificationException {
    CompactJws jws = CompactJws.parse(recordValue);
    VerificationKey key = jws.namedKey(JwsType.ENVELOPE, instances);
    try {
      JsonObject json =
          JsonReader.parseObject(jws.unverifiedPayload(), Limits.JSON_DEPTH_MAX)
              .requireOnly(MEMBERS);
      EnvelopeType type =
          EnvelopeType.fromWireName(json.string("type"))
              .orElseThrow(() -> new JsonException("unknown envelope type"));
      String producer = json.string("producer");
      String signerId =
          instances
              .memberByKeyId(key.keyId())
              .map(Member::id)
              .orElseThrow(() -> new AssertionError("resolved key without its member"));
      if (!signerId.equals(producer)) {
        jws.verify(JwsType.ENVELOPE, instances);
        throw new VerificationException(
            Reason.SIGNER_UNKNOWN, "key of " + signerId + " signs as producer " + producer);
      }
      long epoch = json.integer("epoch");
      long seq = json.integer("seq");
      if (epoch < 0 || seq < 0) {
        throw new JsonException("epoch and seq must not be negative");
      }
      Hash prev = Hash.ofHex(json.string("prev"));
      byte[] body = Base64Url.decode(json.string("body"));
      return new Envelope(type, producer, epoch, seq, prev, body, jws);
    } catch (JsonException | IllegalArgumentException e) {
      jws.verify(JwsType.ENVELOPE, instances);
      throw new VerificationException(Reason.MALFORMED, "envelope: " + e.getMessage());
    }
  }

  /**
   * Checks the seal of an envelope read with {@link #parse}: the Ed25519 signature of its key over
   * the bytes as received.
   *
   * @throws VerificationException {@link Reason#SIGNATURE_INVALID}
   */
  public void verifySeal(Committee instances) throws VerificationException {
    jws.verify(JwsType.ENVELOPE, instances);
  }

  public EnvelopeType type() {
    return type;
  }

  public String producer() {
    return producer;
  }

  public long epoch() {
    return epoch;
  }

  public long seq() {
    return seq;
  }

  public Hash prev() {
    return prev;
  }

  /** A copy of the body bytes. */
  public byte[] body() {
    return body.clone();
  }

  /** SHA-256 of the record value: the next record's {@code prev}. */
  public Hash hash() {
    return hash;
  }

  /** The Kafka record value (a copy). */
  public byte[] toBytes() {
    return jws.toBytes();
  }

  @Override
  public String toString() {
    return "Envelope[" + type + " " + producer + " epoch " + epoch + " seq " + seq + "]";
  }
}
