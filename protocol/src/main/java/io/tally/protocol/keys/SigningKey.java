package io.tally.protocol.keys;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key (the 32-byte RFC 8032 seed) with its public key. It never prints or
 * exposes its secret except through {@link PrivateKeyFile}, which writes it to a file readable by
 * its owner only; {@link #toString()} names the key id alone.
 */
public final class SigningKey implements Destroyable {

  /** Seed length in bytes. */
  public static final int SEED_BYTES = Ed25519.SECRET_KEY_SIZE;

  private final byte[] seed;
  private final byte[] publicEncoded;
  private final VerificationKey verificationKey;
  private boolean destroyed;

  private SigningKey(byte[] seed) {
    this.seed = seed;
    this.publicEncoded = new byte[VerificationKey.BYTES];
    Ed25519.generatePublicKey(seed, 0, publicEncoded, 0);
    try {
      this.verificationKey = VerificationKey.of(publicEncoded);
    } catch (io.tally.protocol.VerificationException e) {
      // A public key derived from any seed is a full-order point (RFC 8032 section 5.1.5).
      throw new AssertionError("derived Ed25519 public key failed validation", e);
    }
  }

  /** A new key from {@code random}. */
  public static SigningKey generate(SecureRandom random) {
    byte[] seed = new byte[SEED_BYTES];
    Ed25519.generatePrivateKey(random, seed);
    return new SigningKey(seed);
  }

  /**
   * The key with the given 32-byte seed (copied). Fixed seeds are for tests and test vectors.
   *
   * @throws IllegalArgumentException unless the seed has 32 bytes
   */
  public static SigningKey fromSeed(byte[] seed) {
    if (seed.length != SEED_BYTES) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, got " + seed.length);
    }
    return new SigningKey(seed.clone());
  }

  public VerificationKey verificationKey() {
    return verificationKey;
  }

  /** The key id: the RFC 7638 thumbprint of the public key. */
  public String keyId() {
    return verificationKey.keyId();
  }

  /** The 64-byte Ed25519 signature of {@code data[offset, offset + length)}. */
  public byte[] sign(byte[] data, int offset, int length) {
    if (destroyed) {
      throw new IllegalStateException("this signing key was destroyed");
    }
    byte[] signature = new byte[VerificationKey.SIGNATURE_BYTES];
    Ed25519.sign(seed, 0, publicEncoded, 0, data, offset, length, signature, 0);
    return signature;
  }

  /** The 64-byte Ed25519 signature of {@code data}. */
  public byte[] sign(byte[] data) {
    return sign(data, 0, data.length);
  }

  /** A copy of the seed, for {@link PrivateKeyFile} only. */
  byte[] seed() {
    if (destroyed) {
      throw new IllegalStateException("this signing key was destroyed");
    }
    return seed.clone();
  }

  /** Overwrites the seed; the key cannot sign afterwards. */
  @Override
  public void destroy() {
    Arrays.fill(seed, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "SigningKey[kid=" + keyId() + ", secret not shown]";
  }
}
