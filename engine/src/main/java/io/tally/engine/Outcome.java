package io.tally.engine;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one log record. Its fixed byte form, a leaf of the block's {@code results} Merkle
 * tree, is JSON written by code, members in this order, no whitespace:
 *
 * <pre>{"offset":41,"id":"s-1","code":"ACCEPTED","original":12}</pre>
 *
 * The outcome of the record at position {@code i} of a block is leaf {@code i} of the results tree,
 * as the record is leaf {@code i} of the entries tree: a receipt proves both at the same index.
 * {@code id} is absent when the record carried no readable instruction id; {@code original} is
 * present only on a resubmission with identical content and names the offset of the first
 * submission, whose code is repeated.
 */
public record Outcome(long offset, @Nullable String instructionId, Code code, long originalOffset) {

  /** Marks "not a resubmission" in {@link #originalOffset()}. */
  public static final long NO_ORIGINAL = -1;

  /**
   * @throws IllegalArgumentException for an id that is not an instruction id (ids are written
   *     without escaping, which their pattern makes safe)
   */
  public Outcome {
    if (instructionId != null && !isInstructionId(instructionId)) {
      throw new IllegalArgumentException("not an instruction id: " + instructionId);
    }
  }

  /** {@link Decoder#INSTRUCTION_ID} without a regular expression: this runs once per record. */
  private static boolean isInstructionId(String id) {
    if (id.isEmpty() || id.length() > 64) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean alphanumeric =
          (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alphanumeric && (i == 0 || (c != '.' && c != '_' && c != ':' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  public Optional<String> id() {
    return Optional.ofNullable(instructionId);
  }

  /** Whether this record resubmitted an id already applied with the same content. */
  public boolean isResubmission() {
    return originalOffset != NO_ORIGINAL;
  }

  /** The fixed byte form (a fresh array). */
  public byte[] toBytes() {
    StringBuilder json = new StringBuilder(80).append("{\"offset\":").append(offset);
    if (instructionId != null) {
      json.append(",\"id\":\"").append(instructionId).append('"');
    }
    json.append(",\"code\":\"").append(code.name()).append('"');
    if (originalOffset != NO_ORIGINAL) {
      json.append(",\"original\":").append(originalOffset);
    }
    return json.append('}').toString().getBytes(StandardCharsets.US_ASCII);
  }
}
