package io.tally.ledger.blocks.infrastructure;

import io.tally.follower.VoteReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads partition 0 of the votes topic with an assigned consumer; progress is the offset stored
 * with each committed block, never a broker commit.
 */
final class KafkaVoteReader implements VoteReader {

  private final Consumer<byte[], byte[]> consumer;
  private final TopicPartition partition;

  KafkaVoteReader(Consumer<byte[], byte[]> consumer, String topic) {
    this.consumer = consumer;
    this.partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
  }

  @Override
  public void seek(long offset) {
    consumer.seek(partition, offset);
  }

  @Override
  public List<VoteRecord> poll(Duration timeout) {
    List<VoteRecord> records = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout).records(partition)) {
      records.add(
          new VoteRecord(
              record.offset(),
              record.timestamp(),
              record.value() == null ? new byte[0] : record.value()));
    }
    return records;
  }

  @Override
  public long position() {
    return consumer.position(partition);
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
