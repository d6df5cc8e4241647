package io.tally.validator.voting.infrastructure;

import io.tally.protocol.VerificationException;
import io.tally.protocol.block.Vote;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.genesis.Genesis;
import io.tally.validator.voting.application.ValidatorStatus;
import io.tally.validator.voting.domain.EquivocationDetector;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every vote on the votes topic, verifies it against the genesis, and keeps the evidence when
 * a validator signed two different headers at one height (an alarm: such a validator is Byzantine).
 * Invalid records are logged and skipped, never retried.
 */
final class VoteWatcher implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(VoteWatcher.class);

  private final Genesis genesis;
  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final String votesTopic;
  private final JdbcEvidenceStore evidence;
  private final ValidatorStatus status;
  private final EquivocationDetector detector = new EquivocationDetector(10_000);
  private volatile boolean stopping;

  VoteWatcher(
      Genesis genesis,
      Supplier<Consumer<byte[], byte[]>> consumers,
      String votesTopic,
      JdbcEvidenceStore evidence,
      ValidatorStatus status) {
    this.genesis = genesis;
    this.consumers = consumers;
    this.votesTopic = votesTopic;
    this.evidence = evidence;
    this.status = status;
  }

  void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    while (!stopping) {
      try (Consumer<byte[], byte[]> consumer = consumers.get()) {
        List<TopicPartition> partitions =
            consumer.partitionsFor(votesTopic, Duration.ofSeconds(30)).stream()
                .map((PartitionInfo p) -> new TopicPartition(votesTopic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        while (!stopping) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            inspect(record);
          }
        }
      } catch (RuntimeException e) {
        log.error("vote watcher failed; restarting", e);
        sleepQuietly();
      }
    }
  }

  private void inspect(ConsumerRecord<byte[], byte[]> record) {
    try {
      Envelope envelope = Envelope.open(record.value(), genesis.instances());
      if (envelope.type() != EnvelopeType.VOTE) {
        log.warn(
            "skipping a {} record on the votes topic at offset {}",
            envelope.type(),
            record.offset());
        return;
      }
      byte[] voteBytes = envelope.body();
      Vote.Verified vote = Vote.parse(voteBytes).verify(genesis.validators());
      detector
          .observe(vote.validatorId(), vote.header(), voteBytes)
          .ifPresent(
              found -> {
                evidence.keep(found);
                status.equivocation(
                    "equivocation: validator "
                        + found.validatorId()
                        + " signed two headers at height "
                        + found.height());
              });
    } catch (VerificationException e) {
      log.warn(
          "invalid record on the votes topic at offset {}: {}", record.offset(), e.getMessage());
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
