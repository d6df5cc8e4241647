package io.tally.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.protocol.codec.Hash;
import io.tally.protocol.codec.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaSnapshotsTest {

  static final Hash NETWORK = Sha256.of("network".getBytes(StandardCharsets.UTF_8));

  @TempDir Path dir;

  @Test
  void theNewestSnapshotIsReadBack() {
    ReplicaSnapshots snapshots = new ReplicaSnapshots(dir, NETWORK);
    assertThat(snapshots.load()).isEmpty();
    snapshots.save(new ReplicaSnapshots.Stored(7, 70, 71, new byte[] {1, 2, 3}));
    snapshots.save(new ReplicaSnapshots.Stored(9, 90, 91, new byte[] {4, 5}));

    ReplicaSnapshots.Stored read = new ReplicaSnapshots(dir, NETWORK).load().orElseThrow();
    assertThat(read.height()).isEqualTo(9);
    assertThat(read.certifiedOffset()).isEqualTo(90);
    assertThat(read.nextOffset()).isEqualTo(91);
    assertThat(read.engine()).containsExactly(4, 5);
  }

  @Test
  void aSnapshotOfAnotherNetworkIsIgnored() {
    new ReplicaSnapshots(dir, NETWORK).save(new ReplicaSnapshots.Stored(7, 70, 71, new byte[] {1}));
    Hash other = Sha256.of("other".getBytes(StandardCharsets.UTF_8));
    assertThat(new ReplicaSnapshots(dir, other).load()).isEmpty();
  }

  @Test
  void aDamagedFileIsIgnoredNotFatal() throws Exception {
    ReplicaSnapshots snapshots = new ReplicaSnapshots(dir, NETWORK);
    snapshots.save(new ReplicaSnapshots.Stored(7, 70, 71, new byte[100]));
    Path file = dir.resolve("replica.snapshot");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThat(snapshots.load()).isEmpty();
    Files.write(file, "garbage".getBytes(StandardCharsets.UTF_8));
    assertThat(snapshots.load()).isEmpty();
  }
}
