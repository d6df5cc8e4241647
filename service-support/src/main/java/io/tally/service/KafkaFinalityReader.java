package io.tally.service;

import io.tally.follower.FinalityReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Reads partition 0 of the finality topic from the beginning with an assigned consumer. */
public final class KafkaFinalityReader implements FinalityReader {

  private final Consumer<byte[], byte[]> consumer;

  public KafkaFinalityReader(Consumer<byte[], byte[]> consumer, String topic) {
    this.consumer = consumer;
    TopicPartition partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
  }

  @Override
  public List<byte[]> poll(Duration timeout) {
    List<byte[]> values = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
      if (record.value() != null) {
        values.add(record.value());
      }
    }
    return values;
  }

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
