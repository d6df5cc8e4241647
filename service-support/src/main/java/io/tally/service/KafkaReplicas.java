package io.tally.service;

import io.tally.follower.ParallelPreVerifier;
import io.tally.protocol.genesis.Genesis;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import org.springframework.kafka.core.ConsumerFactory;

/** Builds a {@link CertifiedReplica} that follows the log and finality topics on Kafka. */
public final class KafkaReplicas {

  private KafkaReplicas() {}

  /**
   * A replica of shard {@code shard}, its consumers named after {@code clientId}; with snapshots in
   * {@code snapshotDir} every {@code snapshotEveryBlocks} certified blocks, or none if the
   * directory is blank.
   */
  public static CertifiedReplica certified(
      Genesis genesis,
      int shard,
      ConsumerFactory<byte[], byte[]> consumers,
      String clientId,
      String logTopic,
      String finalizedTopic,
      ExecutorService verifiers,
      String snapshotDir,
      int snapshotEveryBlocks) {
    return new CertifiedReplica(
        genesis,
        shard,
        () -> new KafkaLogReader(consumers.createConsumer(null, clientId, "-log"), logTopic, shard),
        () ->
            new KafkaFinalityReader(
                consumers.createConsumer(null, clientId, "-finalized"), finalizedTopic),
        new ParallelPreVerifier(verifiers),
        snapshotDir.isBlank() ? null : new ReplicaSnapshots(Path.of(snapshotDir), genesis.hash()),
        snapshotEveryBlocks);
  }
}
