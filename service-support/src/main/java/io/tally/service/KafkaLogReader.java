package io.tally.service;

import io.tally.engine.LogRecord;
import io.tally.follower.LogReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;

/**
 * Reads one partition of the log with a consumer assigned to it (no consumer group: progress is the
 * snapshot's offset, so nothing is committed to the broker).
 */
public final class KafkaLogReader implements LogReader {

  private final Consumer<byte[], byte[]> consumer;
  private final TopicPartition partition;

  public KafkaLogReader(Consumer<byte[], byte[]> consumer, String topic, int shard) {
    this.consumer = consumer;
    this.partition = new TopicPartition(topic, shard);
    consumer.assign(List.of(partition));
  }

  @Override
  public void seek(long offset) {
    consumer.seek(partition, offset);
  }

  @Override
  public List<LogRecord> poll(Duration timeout) {
    List<LogRecord> records = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout).records(partition)) {
      if (record.timestampType() != TimestampType.LOG_APPEND_TIME) {
        // Log time must be the broker's, identical for every reader (DESIGN section 5).
        throw new IllegalStateException(
            partition
                + " must have message.timestamp.type=LogAppendTime, record at offset "
                + record.offset()
                + " has "
                + record.timestampType());
      }
      byte[] value = record.value() == null ? new byte[0] : record.value();
      records.add(new LogRecord(record.offset(), record.timestamp(), value));
    }
    return records;
  }

  @Override
  public long lag() {
    OptionalLong lag = consumer.currentLag(partition);
    return lag.isPresent() ? lag.getAsLong() : -1;
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
