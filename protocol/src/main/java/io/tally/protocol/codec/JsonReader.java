package io.tally.protocol.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader for the JSON the protocol exchanges (RFC 8259 with the I-JSON restrictions of RFC
 * 7493 that matter for signatures).
 *
 * <p>Rejected: invalid UTF-8, a byte order mark, duplicate member names (two readers could
 * otherwise disagree on which one counts), lone surrogates, numbers that are not integers or do not
 * fit a {@code long}, leading zeros, nesting deeper than the given limit, and anything after the
 * value but whitespace.
 *
 * <p>Values: {@link JsonObject}, {@code List<Object>} (unmodifiable), {@link String}, {@link Long},
 * {@link Boolean} and {@link JsonObject#NULL}.
 */
public final class JsonReader {

  private final String text;
  private final int depthMax;
  private int pos;
  private int depth;

  private JsonReader(String text, int depthMax) {
    this.text = text;
    this.depthMax = depthMax;
  }

  /** Parses {@code utf8} as one JSON value nested at most {@code depthMax} deep. */
  public static Object parse(byte[] utf8, int depthMax) throws JsonException {
    String text;
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(utf8));
      text = chars.toString();
    } catch (CharacterCodingException e) {
      throw new JsonException("JSON text is not valid UTF-8");
    }
    return parse(text, depthMax);
  }

  /** Parses {@code text} as one JSON value nested at most {@code depthMax} deep. */
  public static Object parse(String text, int depthMax) throws JsonException {
    JsonReader reader = new JsonReader(text, depthMax);
    reader.skipWhitespace();
    Object value = reader.readValue();
    reader.skipWhitespace();
    if (reader.pos != text.length()) {
      throw reader.error("unexpected text after the JSON value");
    }
    return value;
  }

  /** Parses {@code utf8}, which must hold one JSON object. */
  public static JsonObject parseObject(byte[] utf8, int depthMax) throws JsonException {
    if (parse(utf8, depthMax) instanceof JsonObject object) {
      return object;
    }
    throw new JsonException("expected a JSON object");
  }

  private Object readValue() throws JsonException {
    if (pos >= text.length()) {
      throw error("unexpected end of JSON text");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> readObject();
      case '[' -> readArray();
      case '"' -> readString();
      case 't' -> literal("true", true);
      case 'f' -> literal("false", false);
      case 'n' -> literal("null", JsonObject.NULL);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield readInteger();
        }
        throw error("unexpected character");
      }
    };
  }

  private Object literal(String literal, Object value) throws JsonException {
    expectLiteral(literal);
    return value;
  }

  private JsonObject readObject() throws JsonException {
    enter();
    pos++; // '{'
    Map<String, Object> members = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      depth--;
      return new JsonObject(Collections.unmodifiableMap(members));
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a member name");
      }
      String name = readString();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object value = readValue();
      if (members.putIfAbsent(name, value) != null) {
        throw error("duplicate member name \"" + name + "\"");
      }
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        depth--;
        return new JsonObject(Collections.unmodifiableMap(members));
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> readArray() throws JsonException {
    enter();
    pos++; // '['
    List<Object> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      depth--;
      return Collections.unmodifiableList(items);
    }
    while (true) {
      skipWhitespace();
      items.add(readValue());
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        depth--;
        return Collections.unmodifiableList(items);
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
    }
  }

  private String readString() throws JsonException {
    pos++; // opening quote
    int start = pos;
    int end = start;
    while (end < text.length()) {
      char c = text.charAt(end);
      if (c == '"') {
        pos = end + 1; // no escape: the common case, taken without copying character by character
        return checkSurrogates(text.substring(start, end));
      }
      if (c == '\\' || c < 0x20) {
        break;
      }
      end++;
    }
    StringBuilder out = new StringBuilder(end - start + 16).append(text, start, end);
    pos = end;
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return checkSurrogates(out.toString());
      }
      if (c < 0x20) {
        throw error("control character in string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case '/' -> out.append('/');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(readUnicodeEscape());
        default -> throw error("invalid escape");
      }
    }
  }

  private char readUnicodeEscape() throws JsonException {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(pos++), 16);
      if (digit < 0) {
        throw error("invalid \\u escape");
      }
      value = (value << 4) | digit;
    }
    return (char) value;
  }

  private String checkSurrogates(String s) throws JsonException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw error("lone surrogate in string");
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw error("lone surrogate in string");
      }
    }
    return s;
  }

  private Long readInteger() throws JsonException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digitsStart = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    int digits = pos - digitsStart;
    if (digits == 0) {
      throw error("expected a digit");
    }
    if (digits > 1 && text.charAt(digitsStart) == '0') {
      throw error("leading zero in number");
    }
    if (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '.' || c == 'e' || c == 'E') {
        throw error("only integers are accepted");
      }
    }
    try {
      return Long.parseLong(text, start, pos, 10);
    } catch (NumberFormatException e) {
      throw error("integer out of the 64-bit range");
    }
  }

  private void enter() throws JsonException {
    if (++depth > depthMax) {
      throw error("JSON nested deeper than " + depthMax);
    }
  }

  private void expectLiteral(String literal) throws JsonException {
    if (!text.startsWith(literal, pos)) {
      throw error("unexpected character");
    }
    pos += literal.length();
  }

  private void expect(char c) throws JsonException {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() throws JsonException {
    if (pos >= text.length()) {
      throw error("unexpected end of JSON text");
    }
    return text.charAt(pos);
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private JsonException error(String what) {
    return new JsonException(what + " at character " + pos);
  }
}
