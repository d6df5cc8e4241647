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

  @Test
  void aStartRestoresTheNewestSnapshotAtOrBelowTheRetainedHeight() {
    ReplicaSnapshots snapshots = new ReplicaSnapshots(dir, NETWORK);
    java.util.concurrent.atomic.AtomicLong lowest = new java.util.concurrent.atomic.AtomicLong(12);
    snapshots.retainAtOrBelow(lowest::get);
    snapshots.save(new ReplicaSnapshots.Stored(10, 100, 101, new byte[] {10}));
    snapshots.save(new ReplicaSnapshots.Stored(20, 200, 201, new byte[] {20}));
    snapshots.save(new ReplicaSnapshots.Stored(30, 300, 301, new byte[] {30}));
    // Height 10 is the newest at or below 12: kept when 20 replaced it, restored instead of 30.
    assertThat(snapshots.load().orElseThrow().height()).isEqualTo(10);
    lowest.set(25);
    assertThat(snapshots.load().orElseThrow().height()).isEqualTo(10);
    lowest.set(Long.MAX_VALUE);
    assertThat(snapshots.load().orElseThrow().height()).isEqualTo(30);
    // Once a new snapshot is at or below the retained height, the kept one is dropped.
    snapshots.save(new ReplicaSnapshots.Stored(40, 400, 401, new byte[] {40}));
    assertThat(dir.resolve("replica.retained.snapshot")).doesNotExist();
    lowest.set(5);
    assertThat(snapshots.load()).isEmpty(); // nothing old enough: replay from the start
  }
}
