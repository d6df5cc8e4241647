package io.tally.ledger.blocks.domain;

import io.tally.engine.BlockResult;
import io.tally.engine.Outcome;
import io.tally.protocol.block.QuorumCertificate;
import io.tally.protocol.codec.Base64Url;
import io.tally.protocol.codec.JsonWriter;

/**
 * The body of a {@code FINALIZED} envelope on {@code tally.finalized}: one certified block, with
 * everything a subscriber needs to tell its clients and to check the claim itself.
 *
 * <pre>{"shard":0,"height":7,"header":"&lt;base64url header bytes&gt;",
 *  "certificate":"&lt;base64url certificate JSON&gt;",
 *  "outcomes":[{"offset":41,"id":"s-1","code":"ACCEPTED"},...]}</pre>
 *
 * Outcomes are in log order; {@code id} is absent for records without a readable instruction id and
 * {@code original} present only for resubmissions, as in the outcome record itself.
 */
public final class FinalizedEvent {

  private FinalizedEvent() {}

  public static byte[] toBytes(BlockResult block, QuorumCertificate certificate) {
    JsonWriter json =
        new JsonWriter()
            .beginObject()
            .member("shard", block.header().shard())
            .member("height", block.header().height())
            .member("header", Base64Url.encode(block.header().toBytes()))
            .member("certificate", Base64Url.encode(certificate.toBytes()))
            .name("outcomes")
            .beginArray();
    for (Outcome outcome : block.outcomes()) {
      json.beginObject().member("offset", outcome.offset());
      String id = outcome.instructionId();
      if (id != null) {
        json.member("id", id);
      }
      json.member("code", outcome.code().name());
      if (outcome.isResubmission()) {
        json.member("original", outcome.originalOffset());
      }
      json.endObject();
    }
    return json.endArray().endObject().toUtf8();
  }
}
