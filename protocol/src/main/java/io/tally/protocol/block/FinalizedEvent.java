package io.tally.protocol.block;

import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.JsonWriter;

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
 */
public final class FinalizedEvent {

  private FinalizedEvent() {}

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
