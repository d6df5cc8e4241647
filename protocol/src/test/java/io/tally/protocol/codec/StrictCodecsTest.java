package io.tally.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StrictCodecsTest {

  @Test
  void jsonReaderReadsObjectsArraysStringsIntegersAndLiterals() throws Exception {
    JsonObject json =
        JsonReader.parseObject(
            bytes("{\"s\":\"a\\\"\\u00e9\\n\",\"n\":-9223372036854775808,\"a\":[true,null,{}]}"),
            3);

    assertThat(json.string("s")).isEqualTo("a\"é\n");
    assertThat(json.integer("n")).isEqualTo(Long.MIN_VALUE);
    assertThat(json.array("a", 3))
        .containsExactly(true, JsonObject.NULL, json.array("a", 3).get(2));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":1,\"a\":2}",
        "{\"a\":1.5}",
        "{\"a\":1e3}",
        "{\"a\":01}",
        "{\"a\":9223372036854775808}",
        "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\\udc00x\"}",
        "{\"a\":1} x",
        "{\"a\":1,}",
        "{'a':1}",
        "{\"a\":tru}",
        "{\"a\":\"\u0001\"}",
        "{\"a\":\"\\x\"}",
        "",
      })
  void jsonReaderRefusesWhatTwoReadersCouldReadDifferently(String text) {
    assertThatThrownBy(() -> JsonReader.parse(bytes(text), 4)).isInstanceOf(JsonException.class);
  }

  @Test
  void jsonReaderRefusesInvalidUtf8AndDeepNesting() {
    assertThatThrownBy(() -> JsonReader.parse(new byte[] {'"', (byte) 0xc3, '"'}, 4))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> JsonReader.parse(bytes("[".repeat(5) + "]".repeat(5)), 4))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("deeper");
  }

  @Test
  void jsonWriterEscapesOnlyWhatItMustAndRoundTrips() throws Exception {
    String written =
        new JsonWriter()
            .beginObject()
            .member("k", "q\"\\\u0001é")
            .member("n", 5)
            .endObject()
            .toJson();

    assertThat(written).isEqualTo("{\"k\":\"q\\\"\\\\\\u0001é\",\"n\":5}");
    assertThat(JsonReader.parseObject(bytes(written), 1).string("k")).isEqualTo("q\"\\\u0001é");
  }

  @ParameterizedTest
  @CsvSource({"AQ,01", "AQI,0102", "AQID,010203", "'',''"})
  void base64UrlDecodesCanonicalText(String text, String hex) {
    assertThat(Hex.encode(Base64Url.decode(text == null ? "" : text)))
        .isEqualTo(hex == null ? "" : hex);
  }

  @ParameterizedTest
  @ValueSource(strings = {"AQ==", "AR", "AQJ", "A", "AQ+/", "AQ\n", "AQ I"})
  void base64UrlRefusesNonCanonicalText(String text) {
    assertThatThrownBy(() -> Base64Url.decode(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hashesCompareByValueAndHexIsLowercaseOnly() {
    Hash a = Sha256.of(bytes("abc"));

    assertThat(a.toHex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Hash.ofHex(a.toHex())).isEqualTo(a);
    assertThatThrownBy(() -> Hash.ofHex(a.toHex().toUpperCase(java.util.Locale.ROOT)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(List.of(a.toBytes().length)).containsExactly(32);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
