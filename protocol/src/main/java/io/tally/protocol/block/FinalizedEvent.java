package io.tally.protocol.block;

import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import java.util.Set;

/**
 * The body of a {@code FINALIZED} envelope on {@code tally.finalized}: one certified block, small
 * and of fixed size whatever the block holds (a block of 10,000 outcomes would not fit a record).
 *
 * <pre>{"shard":0,"height":7,"header":"&lt;base64url header bytes&gt;",
 *  "certificate":"&lt;base64url certificate JSON&gt;"}</pre>
 *
 * The header names the log offsets the block covers ({@code firstOffset} to {@code lastOffset}): a
 * producer that knows the offsets of its records learns which of them are final, checks the
 * certificate itself, and reads their outcomes from the ledger's API.
 *
 * <p>A finality event is a hint, signed by one ledger instance: what counts is the certificate, the
 * signatures of {@code q} validators, checked by the reader over the header it computed itself.
 */
public final class FinalizedEvent {

  private static final Set<String> MEMBERS = Set.of("shard", "height", "header", "certificate");

  private final BlockHeader header;
  private final QuorumCertificate certificate;

  private FinalizedEvent(BlockHeader header, QuorumCertificate certificate) {
    this.header = header;
    this.certificate = certificate;
  }

  /**
   * Reads the body of a finality event. Nothing is verified but the shape: the certificate's
   * signatures are for the reader to check against the header it computed.
   *
   * @throws VerificationException {@link Reason#MALFORMED} (also when {@code shard} or {@code
   *     height} differ from the header's), or a reason of {@link BlockHeader#fromBytes} or {@link
   *     QuorumCertificate#parse}
   */
  public static FinalizedEvent parse(byte[] body) throws VerificationException {
    try {
      JsonObject json = JsonReader.parseObject(body, 1).requireOnly(MEMBERS);
      BlockHeader header = BlockHeader.fromBytes(Base64Url.decode(json.string("header")));
      QuorumCertificate certificate =
          QuorumCertificate.parse(Base64Url.decode(json.string("certificate")));
      if (json.integer("shard") != header.shard() || json.integer("height") != header.height()) {
        throw new VerificationException(
            Reason.MALFORMED, "the event's shard or height differs from its header's");
      }
      return new FinalizedEvent(header, certificate);
    } catch (JsonException | IllegalArgumentException e) {
      throw new VerificationException(Reason.MALFORMED, "finality event: " + e.getMessage());
    }
  }

  /** The header the event names (as its producer says; check the certificate). */
  public BlockHeader header() {
    return header;
  }

  public QuorumCertificate certificate() {
    return certificate;
  }

  public static byte[] toBytes(BlockHeader header, QuorumCertificate certificate) {
    return new JsonWriter()
        .beginObject()
        .member("shard", header.shard())
        .member("height", header.height())
        .member("header", Base64Url.encode(header.toBytes()))
        .member("certificate", Base64Url.encode(certificate.toBytes()))
        .endObject()
        .toUtf8();
  }
}
