package io.tally.protocol.codec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 through the JDK's {@link MessageDigest}, measured several times faster here than Bouncy
 * Castle's digest (docs/performance.md).
 */
public final class Sha256 {

  /** Digest length in bytes. */
  public static final int BYTES = 32;

  /**
   * One digest per thread for hashes computed in one go. {@code MessageDigest.getInstance} looks
   * the provider up on every call, which measured as the largest cost of hashing small inputs.
   */
  private static final ThreadLocal<MessageDigest> REUSABLE =
      ThreadLocal.withInitial(Sha256::newDigest);

  private Sha256() {}

  /**
   * This thread's digest, reset. For a hash computed without calling other code in between (which
   * could take the same digest): update it, then {@code digest()}.
   */
  public static MessageDigest reusable() {
    MessageDigest digest = REUSABLE.get();
    digest.reset();
    return digest;
  }

  /** A fresh digest; callers that hash in parts use it once and drop it. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (java.security.MessageDigest Javadoc).
      throw new AssertionError("the platform lacks SHA-256", e);
    }
  }

  /** SHA-256 of {@code data}. */
  public static Hash of(byte[] data) {
    return Hash.wrap(reusable().digest(data));
  }

  /** SHA-256 of {@code data[offset, offset + length)}. */
  public static Hash of(byte[] data, int offset, int length) {
    MessageDigest digest = reusable();
    digest.update(data, offset, length);
    return Hash.wrap(digest.digest());
  }
}
