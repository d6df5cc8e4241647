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
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.Member;
import io.tally.protocol.genesis.Role;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import io.tally.protocol.keys.VerificationKey;
import java.util.Set;

/**
 * A verified (or freshly sealed) envelope. Its payload is
 *
 * <pre>
 * {"type":"instruction","stream":"log","shard":0,"producer":"gateway-1","epoch":3,"seq":41,
 *  "prev":"&lt;hex64&gt;","body":"&lt;base64url&gt;"}
 * </pre>
 *
 * signed as a compact JWS of kind {@link JwsType#ENVELOPE} by the producer's instance key named in
 * the genesis. {@code stream} and {@code shard} name the {@link Stream} the record belongs to,
 * under the signature: a reader states the stream it reads and refuses a record of any other one,
 * so a copy the broker makes into another topic or partition changes nothing. {@code seq} counts
 * the producer's records on that stream within one {@code epoch} from 0; {@code prev} is the {@link
 * #hash()} of the producer's previous record on that stream in that epoch ({@link Hash#ZERO} at
 * {@code seq} 0): chains are kept per producer and stream. The body is carried as base64url bytes,
 * so signed inner objects (instruction JWSs) pass through unchanged.
 */
public final class Envelope {

  private static final Set<String> MEMBERS =
      Set.of("type", "stream", "shard", "producer", "epoch", "seq", "prev", "body");

  private final EnvelopeType type;
  private final Stream stream;
  private final String producer;
  private final long epoch;
  private final long seq;
  private final Hash prev;
  private final byte[] body;
  private final CompactJws jws;
  private final Hash hash;

  private Envelope(
      EnvelopeType type,
      Stream stream,
      String producer,
      long epoch,
      long seq,
      Hash prev,
      byte[] body,
      CompactJws jws) {
    this.type = type;
    this.stream = stream;
    this.producer = producer;
    this.epoch = epoch;
    this.seq = seq;
    this.prev = prev;
    this.body = body;
    this.jws = jws;
    this.hash = Sha256.of(jws.toBytes());
  }

  /**
   * Seals {@code body} as the record {@code seq} of {@code producer}'s {@code epoch} on {@code
   * stream}. Producers normally use {@link EnvelopeWriter}, which keeps the chain.
   *
   * @throws IllegalArgumentException for an invalid producer id, a negative epoch or sequence
   *     number, or a type that {@code stream} does not carry
   */
  public static Envelope seal(
      EnvelopeType type,
      Stream stream,
      String producer,
      long epoch,
      long seq,
      Hash prev,
      byte[] body,
      SigningKey producerKey) {
    if (!Member.ID_PATTERN.matcher(producer).matches() || epoch < 0 || seq < 0) {
      throw new IllegalArgumentException("invalid producer id, epoch or sequence number");
    }
    if (!stream.carries(type)) {
      throw new IllegalArgumentException(type + " envelopes do not travel on " + stream);
    }
    byte[] payload =
        new JsonWriter()
            .beginObject()
            .member("type", type.wireName())
            .member("stream", stream.kind().wireName())
            .member("shard", stream.shard())
            .member("producer", producer)
            .member("epoch", epoch)
            .member("seq", seq)
            .member("prev", prev.toHex())
            .member("body", Base64Url.encode(body))
            .endObject()
            .toUtf8();
    CompactJws jws = CompactJws.sign(JwsType.ENVELOPE, payload, producerKey);
    return new Envelope(type, stream, producer, epoch, seq, prev, body.clone(), jws);
  }

  /**
   * Opens a Kafka record value read from {@code stream}: parses, verifies the signature against the
   * instance keys of the genesis, and checks that the signing key belongs to the producer the
   * envelope names, that the envelope belongs to {@code stream}, and that the producer's role
   * permits its type.
   *
   * @throws VerificationException as {@link #parse}, or {@link Reason#SIGNATURE_INVALID}
   */
  public static Envelope open(byte[] recordValue, Genesis genesis, Stream stream)
      throws VerificationException {
    Envelope envelope = parse(recordValue, genesis, stream);
    envelope.verifySeal(genesis.instances());
    return envelope;
  }

  /**
   * Reads a Kafka record value like {@link #open} but leaves the Ed25519 check of the seal to
   * {@link #verifySeal}: for readers that may authenticate the exact bytes through a later record
   * of the same producer, whose signed {@code prev} is their hash (ADR 0011). The key id must still
   * name an instance key of the producer the envelope names. Whenever the record is refused (an
   * unreadable payload, another producer, stream or a type the role does not permit), the seal is
   * checked first, so a forged record fails as {@link Reason#SIGNATURE_INVALID} exactly as with
   * {@link #open}, and a refusal names a rule only for bytes a genesis instance signed.
   *
   * @throws VerificationException the reasons of {@link CompactJws}, {@link Reason#MALFORMED} for a
   *     payload of the wrong shape, {@link Reason#SIGNER_UNKNOWN} for a key that is no instance's
   *     or belongs to another producer than the one named, {@link Reason#STREAM_MISMATCH} for an
   *     envelope of another stream than {@code stream}, {@link Reason#TYPE_UNEXPECTED} for a type
   *     that {@code stream} does not carry, {@link Reason#ROLE_FORBIDS_TYPE} for a type its
   *     producer's role may not produce
   */
  public static Envelope parse(byte[] recordValue, Genesis genesis, Stream stream)
      throws VerificationException {
    Committee instances = genesis.instances();
    CompactJws jws = CompactJws.parse(recordValue);
    VerificationKey key = jws.namedKey(JwsType.ENVELOPE, instances);
    try {
      JsonObject json =
          JsonReader.parseObject(jws.unverifiedPayload(), Limits.JSON_DEPTH_MAX)
              .requireOnly(MEMBERS);
      EnvelopeType type =
          EnvelopeType.fromWireName(json.string("type"))
              .orElseThrow(() -> new JsonException("unknown envelope type"));
      Stream.Kind kind =
          Stream.Kind.fromWireName(json.string("stream"))
              .orElseThrow(() -> new JsonException("unknown stream"));
      long shard = json.integer("shard");
      if (shard < 0 || shard > Integer.MAX_VALUE) {
        throw new JsonException("shard out of range");
      }
      String producer = json.string("producer");
      String signerId =
          instances
              .memberByKeyId(key.keyId())
              .map(Member::id)
              .orElseThrow(() -> new AssertionError("resolved key without its member"));
      if (!signerId.equals(producer)) {
        throw refused(
            jws, instances, Reason.SIGNER_UNKNOWN, "key of " + signerId + " signs as " + producer);
      }
      Stream named = new Stream(kind, (int) shard);
      if (!named.equals(stream)) {
        throw refused(
            jws,
            instances,
            Reason.STREAM_MISMATCH,
            "an envelope of " + named + " read from " + stream);
      }
      if (!stream.carries(type)) {
        throw refused(jws, instances, Reason.TYPE_UNEXPECTED, type.wireName() + " on " + stream);
      }
      Role role =
          genesis
              .role(producer)
              .orElseThrow(() -> new AssertionError("genesis instance without a role"));
      if (!role.permits(type)) {
        throw refused(
            jws,
            instances,
            Reason.ROLE_FORBIDS_TYPE,
            producer + " (" + role.wireName() + ") may not produce " + type.wireName());
      }
      long epoch = json.integer("epoch");
      long seq = json.integer("seq");
      if (epoch < 0 || seq < 0) {
        throw new JsonException("epoch and seq must not be negative");
      }
      Hash prev = Hash.ofHex(json.string("prev"));
      byte[] body = Base64Url.decode(json.string("body"));
      return new Envelope(type, stream, producer, epoch, seq, prev, body, jws);
    } catch (JsonException | IllegalArgumentException e) {
      jws.verify(JwsType.ENVELOPE, instances);
      throw new VerificationException(Reason.MALFORMED, "envelope: " + e.getMessage());
    }
  }

  /** A refusal of a readable envelope, once its seal verified (else SIGNATURE_INVALID). */
  private static VerificationException refused(
      CompactJws jws, Committee instances, Reason reason, String message)
      throws VerificationException {
    jws.verify(JwsType.ENVELOPE, instances);
    return new VerificationException(reason, message);
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

  /** The stream the envelope belongs to, as its producer signed it. */
  public Stream stream() {
    return stream;
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
    return "Envelope["
        + type
        + " "
        + stream
        + " "
        + producer
        + " epoch "
        + epoch
        + " seq "
        + seq
        + "]";
  }
}
