package io.tally.protocol.jws;

import static io.tally.protocol.jws.JwsTest.ALICE;
import static io.tally.protocol.jws.JwsTest.BOB;
import static io.tally.protocol.jws.JwsTest.TRUSTED;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.protocol.VerificationException;
import io.tally.protocol.codec.Base64Url;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Any single-bit change in the payload, the protected header or the signature is refused, whether
 * the bit is flipped in the decoded bytes (and re-encoded) or in the serialized text itself.
 */
class JwsTamperingProperties {

  @Provide
  Arbitrary<byte[]> payloads() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(512);
  }

  @Property
  void flippingAnyBitOfAnyDecodedPartIsRefused(
      @ForAll("payloads") byte[] payload,
      @ForAll @IntRange(min = 0, max = 2) int part,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int position) {
    String[] parts = CompactJws.sign(JwsType.ENVELOPE, payload, ALICE).serialize().split("\\.", -1);
    byte[] decoded = Base64Url.decode(parts[part]);
    if (decoded.length == 0) {
      decoded = new byte[1]; // an empty payload: "one bit changed" means a byte appears
    } else {
      int bit = position % (decoded.length * 8);
      decoded[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    parts[part] = Base64Url.encode(decoded);
    String tampered = String.join(".", parts);

    assertThatThrownBy(() -> CompactJws.parse(tampered).verify(JwsType.ENVELOPE, TRUSTED))
        .isInstanceOf(VerificationException.class);
  }

  @Property
  void flippingAnyBitOfTheSerializedTextIsRefused(
      @ForAll("payloads") byte[] payload,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int position) {
    byte[] text = CompactJws.sign(JwsType.ENVELOPE, payload, ALICE).toBytes();
    int bit = position % (text.length * 8);
    text[bit / 8] ^= (byte) (1 << (bit % 8));

    assertThatThrownBy(() -> CompactJws.parse(text).verify(JwsType.ENVELOPE, TRUSTED))
        .isInstanceOf(VerificationException.class);
  }

  @Property
  void flippingAnyBitOfAGeneralJwsIsRefused(
      @ForAll("payloads") byte[] payload,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int position) {
    byte[] json = GeneralJws.sign(JwsType.INSTRUCTION, payload, List.of(ALICE, BOB)).toBytes();
    int bit = position % (json.length * 8);
    json[bit / 8] ^= (byte) (1 << (bit % 8));

    assertThatThrownBy(() -> GeneralJws.parse(json).verify(JwsType.INSTRUCTION, TRUSTED))
        .isInstanceOf(VerificationException.class);
  }
}
