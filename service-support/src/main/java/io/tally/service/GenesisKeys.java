package io.tally.service;

import io.tally.protocol.genesis.Committee;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.GenesisException;
import io.tally.protocol.keys.PrivateKeyFile;
import io.tally.protocol.keys.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Loading the genesis and a member's private key at start, with errors an operator can act on. */
public final class GenesisKeys {

  private GenesisKeys() {}

  /**
   * Loads the genesis file.
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalStateException if it is not a valid genesis
   */
  public static Genesis genesis(Path file) {
    try {
      return Genesis.load(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (GenesisException e) {
      throw new IllegalStateException("invalid genesis " + file, e);
    }
  }

  /**
   * Reads {@code file} and checks that it holds the key the genesis names for {@code id} in {@code
   * committee}.
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalStateException if the key is not that member's
   */
  public static SigningKey memberKey(Committee committee, String id, Path file) {
    SigningKey key;
    try {
      key = PrivateKeyFile.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the private key file " + file, e);
    }
    boolean matches =
        committee.member(id).map(m -> m.key().equals(key.verificationKey())).orElse(false);
    if (!matches) {
      throw new IllegalStateException(file + " does not hold the genesis key of " + id);
    }
    return key;
  }
}
