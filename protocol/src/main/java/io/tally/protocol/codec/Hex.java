package io.tally.protocol.codec;

/** Lowercase hexadecimal, the only hex form the protocol writes or accepts. */
public final class Hex {

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** Encodes {@code bytes} as lowercase hex. */
  public static String encode(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >> 4) & 0x0f];
      out[2 * i + 1] = DIGITS[bytes[i] & 0x0f];
    }
    return new String(out);
  }

  /**
   * Decodes lowercase hex.
   *
   * @throws IllegalArgumentException on odd length, uppercase or any non-hex character
   */
  public static byte[] decode(CharSequence hex) {
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException("hex text has an odd length");
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((digit(hex.charAt(2 * i)) << 4) | digit(hex.charAt(2 * i + 1)));
    }
    return out;
  }

  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    throw new IllegalArgumentException("hex text must be lowercase 0-9a-f");
  }
}
