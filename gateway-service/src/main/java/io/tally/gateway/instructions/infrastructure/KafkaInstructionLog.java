package io.tally.gateway.instructions.infrastructure;

import io.tally.gateway.instructions.application.InstructionLog;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Writes instructions to one log partition in envelopes of this instance's chain. Sealing and
 * sending happen under one lock, so the broker receives the chain in sequence order; the idempotent
 * producer keeps that order through retries.
 */
final class KafkaInstructionLog implements InstructionLog {

  private final KafkaTemplate<byte[], byte[]> kafka;
  private final EnvelopeWriter writer;
  private final String topic;
  private final int partition;
  private final Duration sendTimeout;

  KafkaInstructionLog(
      KafkaTemplate<byte[], byte[]> kafka,
      EnvelopeWriter writer,
      String topic,
      int partition,
      Duration sendTimeout) {
    this.kafka = kafka;
    this.writer = writer;
    this.topic = topic;
    this.partition = partition;
    this.sendTimeout = sendTimeout;
  }

  @Override
  public long append(byte[] instruction) {
    return appendAll(List.of(instruction)).get(0);
  }

  @Override
  public List<Long> appendAll(List<byte[]> instructions) {
    List<CompletableFuture<SendResult<byte[], byte[]>>> sent = new ArrayList<>(instructions.size());
    synchronized (writer) {
      for (byte[] instruction : instructions) {
        Envelope envelope = writer.next(EnvelopeType.INSTRUCTION, instruction);
        sent.add(kafka.send(new ProducerRecord<>(topic, partition, null, envelope.toBytes())));
      }
    }
    long deadline = System.nanoTime() + sendTimeout.toNanos();
    List<Long> offsets = new ArrayList<>(sent.size());
    try {
      for (CompletableFuture<SendResult<byte[], byte[]>> one : sent) {
        long left = Math.max(0, deadline - System.nanoTime());
        offsets.add(one.get(left, TimeUnit.NANOSECONDS).getRecordMetadata().offset());
      }
      return offsets;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to the log", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the log did not acknowledge the instruction", e);
    }
  }
}
