package io.tally.protocol.codec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Base64url without padding (RFC 7515 section 2), strict.
 *
 * <p>Decoding accepts only the canonical encoding of a byte string: no padding, no line breaks, no
 * characters outside the URL-safe alphabet, no impossible lengths, and zero in the unused low bits
 * of the last character. Every byte string therefore has exactly one accepted encoding.
 */
public final class Base64Url {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Base64Url() {}

  /** Encodes {@code bytes} as unpadded base64url. */
  public static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /** Encodes {@code bytes} as unpadded base64url ASCII bytes. */
  public static byte[] encodeToAscii(byte[] bytes) {
    return ENCODER.encode(bytes);
  }

  /**
   * Decodes the canonical unpadded base64url text {@code text}.
   *
   * @throws IllegalArgumentException if {@code text} is not the canonical encoding of any bytes
   */
  public static byte[] decode(CharSequence text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      if (value(text.charAt(i)) < 0) {
        throw new IllegalArgumentException("base64url text has a character outside the alphabet");
      }
    }
    return decodeChecked(text.toString().getBytes(StandardCharsets.US_ASCII), length);
  }

  /**
   * Decodes the canonical unpadded base64url text in {@code ascii[offset, offset + length)}.
   *
   * @throws IllegalArgumentException if the range is not the canonical encoding of any bytes
   */
  public static byte[] decode(byte[] ascii, int offset, int length) {
    byte[] part = new byte[length];
    for (int i = 0; i < length; i++) {
      byte b = ascii[offset + i];
      if (value((char) (b & 0xff)) < 0) {
        throw new IllegalArgumentException("base64url text has a character outside the alphabet");
      }
      part[i] = b;
    }
    return decodeChecked(part, length);
  }

  private static byte[] decodeChecked(byte[] ascii, int length) {
    int remainder = length % 4;
    if (remainder == 1) {
      throw new IllegalArgumentException("base64url text has an impossible length");
    }
    if (remainder != 0) {
      // The last character carries 2 (remainder 2) or 4 (remainder 3) unused low bits; a
      // canonical encoding leaves them zero.
      int unusedMask = remainder == 2 ? 0x0f : 0x03;
      if ((value((char) ascii[length - 1]) & unusedMask) != 0) {
        throw new IllegalArgumentException("base64url text is not canonical");
      }
    }
    return DECODER.decode(ascii);
  }

  private static int value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '-') {
      return 62;
    }
    if (c == '_') {
      return 63;
    }
    return -1;
  }
}
