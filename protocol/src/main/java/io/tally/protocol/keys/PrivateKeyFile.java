package io.tally.protocol.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * The on-disk format of a private key: an Ed25519 key as PKCS#8 in PEM (RFC 8410 section 7), the
 * form {@code openssl genpkey -algorithm ed25519} writes and Kubernetes Secrets carry:
 *
 * <pre>
 * -----BEGIN PRIVATE KEY-----
 * MC4CAQAwBQYDK2VwBCIEI&lt;32-byte seed, base64&gt;
 * -----END PRIVATE KEY-----
 * </pre>
 *
 * <p>The DER is always the 48 bytes {@code 302e020100300506032b657004220420 || seed}; anything else
 * (other algorithms, attributes, an embedded public key) is refused with a message that never
 * contains key material. Files are written readable by their owner only and never overwritten.
 */
public final class PrivateKeyFile {

  private static final byte[] DER_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
  };
  private static final int DER_BYTES = DER_PREFIX.length + SigningKey.SEED_BYTES;
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";
  private static final int FILE_BYTES_MAX = 4096;

  private PrivateKeyFile() {}

  /**
   * Reads a signing key from {@code path}.
   *
   * @throws IOException if the file cannot be read or is not an Ed25519 PKCS#8 PEM key
   */
  public static SigningKey read(Path path) throws IOException {
    if (Files.size(path) > FILE_BYTES_MAX) {
      throw new IOException(path + " is too large to be an Ed25519 private key file");
    }
    String text = Files.readString(path, StandardCharsets.US_ASCII).strip();
    if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
      throw new IOException(path + " is not a PEM private key (expected " + BEGIN + ")");
    }
    String body =
        text.substring(BEGIN.length(), text.length() - END.length()).replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IOException(path + " has invalid base64 between its PEM lines", e);
    }
    try {
      if (der.length != DER_BYTES
          || !Arrays.equals(der, 0, DER_PREFIX.length, DER_PREFIX, 0, DER_PREFIX.length)) {
        throw new IOException(path + " is not an Ed25519 PKCS#8 private key (RFC 8410)");
      }
      return SigningKey.fromSeed(Arrays.copyOfRange(der, DER_PREFIX.length, DER_BYTES));
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /**
   * Writes {@code key} to the new file {@code path}, readable and writable by its owner only where
   * the file system has POSIX permissions.
   *
   * @throws FileAlreadyExistsException if {@code path} exists: a key is never overwritten
   */
  public static void write(SigningKey key, Path path) throws IOException {
    byte[] der = Arrays.copyOf(DER_PREFIX, DER_BYTES);
    byte[] seed = key.seed();
    System.arraycopy(seed, 0, der, DER_PREFIX.length, seed.length);
    Arrays.fill(seed, (byte) 0);
    String pem = BEGIN + "\n" + Base64.getEncoder().encodeToString(der) + "\n" + END + "\n";
    Arrays.fill(der, (byte) 0);
    if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
      Files.createFile(path, PosixFilePermissions.asFileAttribute(ownerOnly));
    } else {
      Files.createFile(path);
    }
    Files.writeString(path, pem, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
