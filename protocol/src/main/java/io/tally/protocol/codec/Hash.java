package io.tally.protocol.codec;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * An immutable 32-byte SHA-256 value. Bytes are copied in and out; equality is constant-time. Its
 * text form is 64 lowercase hex characters.
 */
public final class Hash {

  /** The all-zero value, used where a chain has no predecessor. */
  public static final Hash ZERO = new Hash(new byte[Sha256.BYTES]);

  private final byte[] bytes;

  private Hash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Takes ownership of {@code bytes} (callers inside this package pass fresh arrays). */
  static Hash wrap(byte[] bytes) {
    if (bytes.length != Sha256.BYTES) {
      throw new AssertionError("a SHA-256 value has 32 bytes, got " + bytes.length);
    }
    return new Hash(bytes);
  }

  /**
   * Copies {@code bytes}.
   *
   * @throws IllegalArgumentException unless exactly 32 bytes are given
   */
  public static Hash of(byte[] bytes) {
    if (bytes.length != Sha256.BYTES) {
      throw new IllegalArgumentException("a SHA-256 value has 32 bytes, got " + bytes.length);
    }
    return new Hash(bytes.clone());
  }

  /**
   * Parses 64 lowercase hex characters.
   *
   * @throws IllegalArgumentException on any other text
   */
  public static Hash ofHex(CharSequence hex) {
    if (hex.length() != 2 * Sha256.BYTES) {
      throw new IllegalArgumentException("a SHA-256 value is 64 hex characters");
    }
    return new Hash(Hex.decode(hex));
  }

  /** A copy of the 32 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Feeds the 32 bytes to {@code digest} without copying them. */
  public void updateDigest(MessageDigest digest) {
    digest.update(bytes);
  }

  /** Writes the 32 bytes into {@code target} at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, Sha256.BYTES);
  }

  /** 64 lowercase hex characters. */
  public String toHex() {
    return Hex.encode(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Hash that && MessageDigest.isEqual(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
