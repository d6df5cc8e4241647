package io.tally.gateway.instructions.infrastructure;

import io.tally.gateway.instructions.application.ChainGuard;
import io.tally.gateway.instructions.application.InstructionLog;
import io.tally.gateway.instructions.application.LogUnavailable;
import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Writes instructions to one log partition in envelopes of this instance's chain.
 *
 * <p>One sequencer thread seals and sends, so the broker receives the chain in sequence order (the
 * idempotent producer keeps that order through retries). Request threads queue their instructions
 * and wait for the broker's acknowledgement; under load the sequencer takes whatever queued at
 * once. Request threads used to seal and send under a shared lock instead: with hundreds of
 * concurrent requests on two cores, each hand-over of the lock waited for the scheduler, and the
 * lock, not the CPU, set the gateway's pace.
 */
final class KafkaInstructionLog implements InstructionLog, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaInstructionLog.class);
  private static final Duration IDLE = Duration.ofMillis(100);

  /** Instructions of one request and the offsets the broker gave them. */
  private record Append(List<byte[]> instructions, CompletableFuture<List<Long>> offsets) {}

  private final DefaultKafkaProducerFactory<byte[], byte[]> producers;
  private final KafkaTemplate<byte[], byte[]> kafka;
  private final LongFunction<EnvelopeWriter> writers;
  private final ChainGuard guard;
  // Only the sequencer thread seals; a new epoch replaces the writer (ChainGuard).
  private EnvelopeWriter writer;
  private final String topic;
  private final int partition;
  private final Duration sendTimeout;
  // Unbounded: every queued append holds a request thread, so the server's threads bound it.
  private final BlockingQueue<Append> queue = new LinkedBlockingQueue<>();
  private final Thread sequencer = new Thread(this::run, "log-sequencer");
  private volatile boolean closing;

  /**
   * @param writers this instance's chain writer for an epoch
   * @param epoch the epoch to start in
   * @param guard told what is sealed; says when to open a new epoch
   */
  KafkaInstructionLog(
      DefaultKafkaProducerFactory<byte[], byte[]> producers,
      LongFunction<EnvelopeWriter> writers,
      long epoch,
      ChainGuard guard,
      String topic,
      int partition,
      Duration sendTimeout) {
    this.producers = producers;
    this.kafka = new KafkaTemplate<>(producers);
    this.writers = writers;
    this.writer = writers.apply(epoch);
    this.guard = guard;
    this.topic = topic;
    this.partition = partition;
    this.sendTimeout = sendTimeout;
    sequencer.setDaemon(true);
    sequencer.start();
  }

  @Override
  public long append(byte[] instruction) {
    return appendAll(List.of(instruction)).get(0);
  }

  @Override
  public List<Long> appendAll(List<byte[]> instructions) {
    if (closing) {
      throw new LogUnavailable("the gateway is shutting down; the log takes no more", null);
    }
    Append append = new Append(List.copyOf(instructions), new CompletableFuture<>());
    queue.add(append);
    try {
      return append.offsets().get(sendTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LogUnavailable("interrupted while writing to the log", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new LogUnavailable("the log did not acknowledge the instruction", e);
    }
  }

  private void run() {
    List<Append> batch = new ArrayList<>();
    try {
      while (!closing || !queue.isEmpty()) {
        Append first = queue.poll(IDLE.toMillis(), TimeUnit.MILLISECONDS);
        guard.takeReopen().ifPresent(this::reopen);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch);
        batch.forEach(this::send);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Whatever is left is answered, never left waiting until its timeout.
      batch.addAll(queue);
      batch.forEach(
          append ->
              append
                  .offsets()
                  .completeExceptionally(new LogUnavailable("the gateway stopped", null)));
    }
  }

  /**
   * Seals and sends one request's instructions; completes its offsets when all are acknowledged.
   */
  private void send(Append append) {
    List<CompletableFuture<SendResult<byte[], byte[]>>> sent =
        new ArrayList<>(append.instructions().size());
    try {
      for (byte[] instruction : append.instructions()) {
        sent.add(seal(instruction, false));
      }
    } catch (RuntimeException e) {
      append.offsets().completeExceptionally(e);
      return;
    }
    var unused =
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
            .whenComplete(
                (done, failure) -> {
                  if (failure != null) {
                    append.offsets().completeExceptionally(failure);
                  } else {
                    append
                        .offsets()
                        .complete(
                            sent.stream()
                                .map(one -> one.join().getRecordMetadata().offset())
                                .toList());
                  }
                });
  }

  /**
   * Seals {@code instruction} as the next record of the chain and sends it. A request's record the
   * broker refuses is no promise ({@link ChainGuard#failed}); a rewritten one stays a promise.
   */
  private CompletableFuture<SendResult<byte[], byte[]>> seal(byte[] instruction, boolean rewrite) {
    Envelope envelope = writer.next(EnvelopeType.INSTRUCTION, instruction);
    guard.sealed(envelope.epoch(), envelope.seq(), envelope.hash(), instruction);
    return kafka
        .send(new ProducerRecord<>(topic, partition, null, envelope.toBytes()))
        .whenComplete(
            (done, failure) -> {
              if (failure == null) {
                return;
              }
              if (rewrite) {
                log.error("writing an acknowledged instruction again failed", failure);
                guard.rewriteFailed(List.of());
              } else {
                guard.failed(envelope.epoch(), envelope.seq());
              }
            });
  }

  /**
   * Opens a new epoch and writes the acknowledged instructions the network has not applied again in
   * it, before anything queued after (on the sequencer thread).
   */
  private void reopen(ChainGuard.Reopen reopen) {
    writer = writers.apply(reopen.epoch());
    List<byte[]> instructions = reopen.instructions();
    for (int i = 0; i < instructions.size(); i++) {
      try {
        var unused = seal(instructions.get(i), true);
      } catch (RuntimeException e) {
        log.error("writing acknowledged instructions again failed", e);
        guard.rewriteFailed(List.copyOf(instructions.subList(i, instructions.size())));
        return;
      }
    }
  }

  /** Sends what is queued, then closes the producer. */
  @Override
  public void close() {
    closing = true;
    try {
      sequencer.join(sendTimeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sequencer.isAlive()) {
      log.warn("the log sequencer did not finish; interrupting it");
      sequencer.interrupt();
    }
    producers.destroy();
  }
}
