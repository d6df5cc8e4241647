package io.tally.validator.voting.infrastructure;

import io.tally.protocol.VerificationException;
import io.tally.protocol.block.Vote;
import io.tally.protocol.genesis.Genesis;
import io.tally.validator.voting.application.ValidatorStatus;
import io.tally.validator.voting.domain.EquivocationDetector;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
  private static final int HEIGHTS_TRACKED = 1_000;

  private final Genesis genesis;
  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final String votesTopic;
  private final JdbcEvidenceStore evidence;
  private final ValidatorStatus status;
  private final EquivocationDetector detector = new EquivocationDetector(10_000);
  private final Clock clock;
  private final Duration stallAfter;
  private final TreeMap<Long, Set<String>> votersByHeight = new TreeMap<>();
  private final Map<Long, Long> firstSeenAt = new HashMap<>();
  private volatile boolean stopping;

  VoteWatcher(
      Genesis genesis,
      Supplier<Consumer<byte[], byte[]>> consumers,
      String votesTopic,
      JdbcEvidenceStore evidence,
      ValidatorStatus status,
      Clock clock,
      Duration stallAfter) {
    this.genesis = genesis;
    this.consumers = consumers;
    this.votesTopic = votesTopic;
    this.evidence = evidence;
    this.status = status;
    this.clock = clock;
    this.stallAfter = stallAfter;
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
          checkFinality();
        }
      } catch (RuntimeException e) {
        log.error("vote watcher failed; restarting", e);
        sleepQuietly();
      }
    }
  }

  private void inspect(ConsumerRecord<byte[], byte[]> record) {
    try {
      Vote.Opened opened = Vote.open(record.value(), genesis, record.partition());
      byte[] voteBytes = opened.vote().toBytes();
      Vote.Verified vote = opened.verified();
      long height = vote.header().height();
      votersByHeight.computeIfAbsent(height, h -> new TreeSet<>()).add(vote.validatorId());
      firstSeenAt.putIfAbsent(height, clock.millis());
      while (votersByHeight.size() > HEIGHTS_TRACKED) {
        firstSeenAt.remove(votersByHeight.pollFirstEntry().getKey());
      }
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

  /**
   * Says in health why nothing finalizes: the newest height anybody voted for has fewer than q
   * distinct votes for longer than the stall bound (DESIGN section 5: safety before liveness).
   */
  private void checkFinality() {
    if (votersByHeight.isEmpty()) {
      return;
    }
    long height = votersByHeight.lastKey();
    int votes = votersByHeight.lastEntry().getValue().size();
    int quorum = genesis.validators().threshold();
    long waited = clock.millis() - firstSeenAt.getOrDefault(height, clock.millis());
    if (votes < quorum && waited >= stallAfter.toMillis()) {
      status.finalizationStalled(
          "height "
              + height
              + " has "
              + votes
              + " of the "
              + quorum
              + " votes it needs ("
              + String.join(", ", votersByHeight.lastEntry().getValue())
              + "); fewer than a quorum of validators are voting");
    } else if (votes >= quorum) {
      status.finalizationStalled(null);
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
