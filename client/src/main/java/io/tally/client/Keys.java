package io.tally.client;

import io.tally.protocol.keys.PrivateKeyFile;
import io.tally.protocol.keys.SigningKey;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;

/** Ed25519 key generation and storage in the project's private key file format. */
public final class Keys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Keys() {}

  /**
   * Generates a key and writes it to {@code file} (owner-only permissions where the file system has
   * them). Never overwrites: a key file may be the only copy of a participant's key.
   *
   * @throws FileAlreadyExistsException if {@code file} exists
   */
  public static SigningKey generate(Path file) throws IOException {
    SigningKey key = SigningKey.generate(RANDOM);
    PrivateKeyFile.write(key, file);
    return key;
  }

  /** Reads a key written by {@link #generate} (or by the devstack). */
  public static SigningKey read(Path file) throws IOException {
    return PrivateKeyFile.read(file);
  }
}
