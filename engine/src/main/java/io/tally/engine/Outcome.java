package io.tally.engine;

import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.JsonWriter;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one log record. Its fixed byte form, a leaf of the block's {@code results} Merkle
 * tree, is JSON written by code, members in this order, no whitespace:
 *
 * <pre>{"offset":41,"entry":"&lt;hex64&gt;","id":"s-1","code":"ACCEPTED","original":12}</pre>
 *
 * {@code entry} is the RFC 9162 leaf hash of the record value (binding the outcome to the bytes it
 * judges); {@code id} is absent when the record carried no readable instruction id; {@code
 * original} is present only on a resubmission with identical content and names the offset of the
 * first submission, whose code is repeated.
 */
public record Outcome(
    long offset, Hash entry, @Nullable String instructionId, Code code, long originalOffset) {

  /** Marks "not a resubmission" in {@link #originalOffset()}. */
  public static final long NO_ORIGINAL = -1;

  public Optional<String> id() {
    return Optional.ofNullable(instructionId);
  }

  /** Whether this record resubmitted an id already applied with the same content. */
  public boolean isResubmission() {
    return originalOffset != NO_ORIGINAL;
  }

  /** The fixed byte form (a fresh array). */
  public byte[] toBytes() {
    JsonWriter json =
        new JsonWriter().beginObject().member("offset", offset).member("entry", entry.toHex());
    if (instructionId != null) {
      json.member("id", instructionId);
    }
    json.member("code", code.name());
    if (originalOffset != NO_ORIGINAL) {
      json.member("original", originalOffset);
    }
    return json.endObject().toUtf8();
  }
}
