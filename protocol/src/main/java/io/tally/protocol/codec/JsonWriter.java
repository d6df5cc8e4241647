package io.tally.protocol.codec;

import java.nio.charset.StandardCharsets;

/**
 * Writes JSON in the one form the protocol produces: members in the order the code writes them, no
 * whitespace, integers only, and strings escaping only what RFC 8259 requires ({@code "}, {@code \}
 * and control characters). Equal calls give equal bytes on every machine.
 */
public final class JsonWriter {

  private final StringBuilder out = new StringBuilder(256);
  private boolean needsComma;

  public JsonWriter beginObject() {
    separate();
    out.append('{');
    needsComma = false;
    return this;
  }

  public JsonWriter endObject() {
    out.append('}');
    needsComma = true;
    return this;
  }

  public JsonWriter beginArray() {
    separate();
    out.append('[');
    needsComma = false;
    return this;
  }

  public JsonWriter endArray() {
    out.append(']');
    needsComma = true;
    return this;
  }

  /** Writes a member name; the next call writes its value. */
  public JsonWriter name(String name) {
    separate();
    writeString(name);
    out.append(':');
    needsComma = false;
    return this;
  }

  public JsonWriter value(String value) {
    separate();
    writeString(value);
    needsComma = true;
    return this;
  }

  public JsonWriter value(long value) {
    separate();
    out.append(value);
    needsComma = true;
    return this;
  }

  public JsonWriter value(boolean value) {
    separate();
    out.append(value);
    needsComma = true;
    return this;
  }

  public JsonWriter member(String name, String value) {
    return name(name).value(value);
  }

  public JsonWriter member(String name, long value) {
    return name(name).value(value);
  }

  public String toJson() {
    return out.toString();
  }

  public byte[] toUtf8() {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void separate() {
    if (needsComma) {
      out.append(',');
    }
  }

  private void writeString(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
