package io.tally.protocol.block;

import io.tally.protocol.Limits;
import io.tally.protocol.Reason;
import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.JsonException;
import io.tally.protocol.codec.JsonObject;
import io.tally.protocol.codec.JsonReader;
import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.codec.Sha256;
import java.util.Arrays;
import java.util.Set;

/**
 * A block header: what validators sign and what a certificate certifies.
 *
 * <p>Its canonical bytes are JSON written by code, members in this fixed order, no whitespace,
 * integers in decimal and hashes in lowercase hex, so every honest validator produces the same
 * bytes:
 *
 * <pre>
 * {"network":"&lt;hex64&gt;","shard":0,"height":7,"prev":"&lt;hex64&gt;","entryCount":12,
 *  "entries":"&lt;hex64&gt;","results":"&lt;hex64&gt;","state":"&lt;hex64&gt;",
 *  "logTime":1764000000000,"firstOffset":100,"lastOffset":111}
 * </pre>
 *
 * (one line in reality). {@code network} is the genesis hash; {@code prev} the hash of the previous
 * header ({@link Hash#ZERO} before the first block); {@code entries} and {@code results} the RFC
 * 9162 roots over {@code entryCount} entries and their outcomes; {@code state} the state digest
 * after the block; {@code logTime} the broker's append time of the last record, in milliseconds
 * since the epoch; the offsets the first and last log records the block covers. {@code entryCount}
 * binds the Merkle tree size, so an inclusion proof cannot be replayed against another size. The
 * header's hash is SHA-256 of the canonical bytes.
 */
public record BlockHeader(
    Hash network,
    int shard,
    long height,
    Hash prev,
    long entryCount,
    Hash entries,
    Hash results,
    Hash state,
    long logTime,
    long firstOffset,
    long lastOffset) {

  private static final Set<String> MEMBERS =
      Set.of(
          "network",
          "shard",
          "height",
          "prev",
          "entryCount",
          "entries",
          "results",
          "state",
          "logTime",
          "firstOffset",
          "lastOffset");

  /**
   * @throws IllegalArgumentException for negative numbers or {@code firstOffset > lastOffset}
   */
  public BlockHeader {
    if (shard < 0 || height < 0 || entryCount < 0 || logTime < 0 || firstOffset < 0) {
      throw new IllegalArgumentException("block header numbers must not be negative");
    }
    if (firstOffset > lastOffset) {
      throw new IllegalArgumentException("firstOffset must not exceed lastOffset");
    }
  }

  /** The canonical bytes (a fresh array). */
  public byte[] toBytes() {
    return new JsonWriter()
        .beginObject()
        .member("network", network.toHex())
        .member("shard", shard)
        .member("height", height)
        .member("prev", prev.toHex())
        .member("entryCount", entryCount)
        .member("entries", entries.toHex())
        .member("results", results.toHex())
        .member("state", state.toHex())
        .member("logTime", logTime)
        .member("firstOffset", firstOffset)
        .member("lastOffset", lastOffset)
        .endObject()
        .toUtf8();
  }

  /** SHA-256 of the canonical bytes: what the next header's {@code prev} holds. */
  public Hash hash() {
    return Sha256.of(toBytes());
  }

  /**
   * Reads canonical header bytes. Bytes that parse but are not exactly the canonical form (other
   * order, whitespace, escapes) are refused: one header has one byte form.
   *
   * @throws VerificationException {@link Reason#TOO_LARGE} or {@link Reason#MALFORMED}
   */
  public static BlockHeader fromBytes(byte[] bytes) throws VerificationException {
    if (bytes.length > Limits.BLOCK_HEADER_BYTES_MAX) {
      throw new VerificationException(
          Reason.TOO_LARGE, "block header exceeds " + Limits.BLOCK_HEADER_BYTES_MAX + " bytes");
    }
    BlockHeader header;
    try {
      JsonObject json = JsonReader.parseObject(bytes, 1).requireOnly(MEMBERS);
      long shard = json.integer("shard");
      if (shard > Integer.MAX_VALUE) {
        throw new VerificationException(Reason.MALFORMED, "shard out of range");
      }
      header =
          new BlockHeader(
              hash(json, "network"),
              (int) shard,
              json.integer("height"),
              hash(json, "prev"),
              json.integer("entryCount"),
              hash(json, "entries"),
              hash(json, "results"),
              hash(json, "state"),
              json.integer("logTime"),
              json.integer("firstOffset"),
              json.integer("lastOffset"));
    } catch (JsonException | IllegalArgumentException e) {
      throw new VerificationException(Reason.MALFORMED, "block header: " + e.getMessage());
    }
    if (!Arrays.equals(header.toBytes(), bytes)) {
      throw new VerificationException(Reason.MALFORMED, "block header bytes are not canonical");
    }
    return header;
  }

  private static Hash hash(JsonObject json, String name) throws JsonException {
    try {
      return Hash.ofHex(json.string(name));
    } catch (IllegalArgumentException e) {
      throw new JsonException("\"" + name + "\": " + e.getMessage());
    }
  }
}
