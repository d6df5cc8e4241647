package io.tally.service;

import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link CertifiedReplica} keeps its newest snapshot: one file in a directory of its own (a
 * cache: losing it costs a replay from the start, nothing else). Written to a temporary file and
 * moved into place, so a crash leaves the previous snapshot or the new one, never half of one.
 */
public final class ReplicaSnapshots {

  /** A snapshot at the end of certified block {@code height}. */
  @SuppressWarnings("ArrayRecordComponent") // written and read whole, never compared
  public record Stored(long height, long certifiedOffset, long nextOffset, byte[] engine) {}

  private static final Logger log = LoggerFactory.getLogger(ReplicaSnapshots.class);
  private static final int MAGIC = 0x54524e32; // "TRN2"

  private final Path file;
  private final Hash network;

  /**
   * @param network the genesis hash: a snapshot of another network (a directory reused after the
   *     genesis changed) is ignored
   */
  public ReplicaSnapshots(Path directory, Hash network) {
    this.network = network;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the snapshot directory " + directory, e);
    }
    this.file = directory.resolve("replica.snapshot");
  }

  /**
   * The newest snapshot, if there is a readable one (an unreadable one is reported and ignored).
   */
  public Optional<Stored> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      if (in.readInt() != MAGIC) {
        throw new IOException("not a replica snapshot");
      }
      if (!Hash.of(in.readNBytes(Sha256.BYTES)).equals(network)) {
        log.info("ignoring the snapshot {}: it is of another network", file);
        return Optional.empty();
      }
      long height = in.readLong();
      long certifiedOffset = in.readLong();
      long nextOffset = in.readLong();
      int length = in.readInt();
      byte[] engine = in.readNBytes(length);
      if (engine.length != length || in.read() != -1) {
        throw new IOException("the snapshot is truncated or has trailing bytes");
      }
      return Optional.of(new Stored(height, certifiedOffset, nextOffset, engine));
    } catch (IOException | RuntimeException e) {
      log.warn("ignoring the unreadable snapshot {}: {}", file, e.toString());
      return Optional.empty();
    }
  }

  /** Replaces the stored snapshot. */
  public void save(Stored snapshot) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(snapshot.engine().length + 32);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(MAGIC);
        out.write(network.toBytes());
        out.writeLong(snapshot.height());
        out.writeLong(snapshot.certifiedOffset());
        out.writeLong(snapshot.nextOffset());
        out.writeInt(snapshot.engine().length);
        out.write(snapshot.engine());
      }
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(temporary, bytes.toByteArray());
      try {
        Files.move(
            temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing the replica snapshot " + file, e);
    }
  }
}
