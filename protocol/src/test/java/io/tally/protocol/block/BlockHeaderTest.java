package io.tally.protocol.block;

import static io.tally.protocol.Fixtures.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.Limits;
import io.tally.protocol.Reason;
import io.tally.protocol.codec.Hash;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BlockHeaderTest {

  static final Hash A = Hash.ofHex("aa".repeat(32));
  static final Hash B = Hash.ofHex("bb".repeat(32));

  static final BlockHeader HEADER =
      new BlockHeader(A, 0, 7, B, 12, A, B, A, 1_764_000_000_000L, 100, 111);

  @Test
  void canonicalBytesAreFixedOrderNoWhitespaceLowercaseHex() {
    String expected =
        "{\"network\":\""
            + "aa".repeat(32)
            + "\",\"shard\":0,\"height\":7,\"prev\":\""
            + "bb".repeat(32)
            + "\",\"entryCount\":12,\"entries\":\""
            + "aa".repeat(32)
            + "\",\"results\":\""
            + "bb".repeat(32)
            + "\",\"state\":\""
            + "aa".repeat(32)
            + "\",\"logTime\":1764000000000,\"firstOffset\":100,\"lastOffset\":111}";

    assertThat(new String(HEADER.toBytes(), StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(HEADER.toBytes()).hasSizeLessThan(Limits.BLOCK_HEADER_BYTES_MAX);
  }

  @Test
  void hashIsSha256OfTheCanonicalBytes() {
    // Computed independently: python3 hashlib.sha256 over the canonical text above.
    assertThat(HEADER.hash().toHex())
        .isEqualTo("32cefedaa3460168ac7b80868fa40b3290439eda0af3f4226cc1bc29eed76557");
  }

  @Test
  void canonicalBytesRoundTrip() throws Exception {
    assertThat(BlockHeader.fromBytes(HEADER.toBytes())).isEqualTo(HEADER);
  }

  @Test
  void bytesThatParseButAreNotCanonicalAreRefused() {
    String canonical = new String(HEADER.toBytes(), StandardCharsets.UTF_8);

    assertReason(
        () -> BlockHeader.fromBytes(bytes(canonical.replace(",", ", "))), Reason.MALFORMED);
    assertReason(
        () -> BlockHeader.fromBytes(bytes(canonical.replace("aa", "AA"))), Reason.MALFORMED);
    assertReason(
        () ->
            BlockHeader.fromBytes(
                bytes(canonical.replace("\"shard\":0,\"height\":7", "\"height\":7,\"shard\":0"))),
        Reason.MALFORMED);
    assertReason(
        () -> BlockHeader.fromBytes(bytes(canonical.replace("}", ",\"extra\":1}"))),
        Reason.MALFORMED);
    assertReason(
        () -> BlockHeader.fromBytes(bytes(canonical.replace("\"height\":7", "\"height\":-7"))),
        Reason.MALFORMED);
    assertReason(
        () -> BlockHeader.fromBytes(new byte[Limits.BLOCK_HEADER_BYTES_MAX + 1]), Reason.TOO_LARGE);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
