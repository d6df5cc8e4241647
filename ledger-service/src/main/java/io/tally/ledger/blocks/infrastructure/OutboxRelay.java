package io.tally.ledger.blocks.infrastructure;

import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes the finality events that committed blocks wrote to the outbox, in order, each in an
 * envelope signed by this instance, and marks them published once the broker acknowledged. A crash
 * between the two publishes an event again: subscribers key on the height.
 */
final class OutboxRelay implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH_MAX = 100;
  private static final Duration IDLE = Duration.ofMillis(50);
  private static final Duration BACKOFF_MAX = Duration.ofSeconds(10);

  @SuppressWarnings("ArrayRecordComponent") // read from the database, sent once
  private record Row(long id, long height, byte[] payload) {}

  private final JdbcTemplate jdbc;
  private final KafkaTemplate<byte[], byte[]> kafka;
  private final EnvelopeWriter writer;
  private final String topic;
  private final Duration sendTimeout;
  private final Semaphore wakeUp = new Semaphore(0);
  private volatile boolean stopping;

  OutboxRelay(
      JdbcTemplate jdbc,
      KafkaTemplate<byte[], byte[]> kafka,
      EnvelopeWriter writer,
      String topic,
      Duration sendTimeout) {
    this.jdbc = jdbc;
    this.kafka = kafka;
    this.writer = writer;
    this.topic = topic;
    this.sendTimeout = sendTimeout;
  }

  void stop() {
    stopping = true;
    wakeUp.release();
  }

  /** Tells the relay that a block committed, so it publishes now rather than at its next poll. */
  void wake() {
    wakeUp.release();
  }

  @Override
  public void run() {
    Duration backoff = IDLE;
    while (!stopping) {
      try {
        int published = publishBatch();
        backoff = IDLE;
        if (published == 0) {
          awaitWork();
        }
      } catch (RuntimeException e) {
        log.warn("finality events not published; retrying in {}", backoff, e);
        pause(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(BACKOFF_MAX) > 0
                ? BACKOFF_MAX
                : backoff.multipliedBy(2);
      }
    }
  }

  /** Publishes up to a batch of events; returns how many. */
  int publishBatch() {
    List<Row> rows =
        jdbc.query(
            "SELECT id, height, payload FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ?",
            (rs, i) -> new Row(rs.getLong(1), rs.getLong(2), rs.getBytes(3)),
            BATCH_MAX);
    for (Row row : rows) {
      Envelope envelope = writer.next(EnvelopeType.FINALIZED, row.payload());
      byte[] key = ByteBuffer.allocate(Long.BYTES).putLong(row.height()).array();
      try {
        kafka
            .send(topic, key, envelope.toBytes())
            .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing height " + row.height(), e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("publishing height " + row.height() + " failed", e);
      }
      jdbc.update("UPDATE outbox SET published_at = now() WHERE id = ?", row.id());
    }
    return rows.size();
  }

  private void awaitWork() {
    try {
      wakeUp.tryAcquire(IDLE.toMillis(), TimeUnit.MILLISECONDS);
      wakeUp.drainPermits();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }

  private void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }
}
