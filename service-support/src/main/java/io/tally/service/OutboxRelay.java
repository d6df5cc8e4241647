package io.tally.service;

import io.tally.protocol.envelope.Envelope;
import io.tally.protocol.envelope.EnvelopeType;
import io.tally.protocol.envelope.EnvelopeWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes what a service wrote to its outbox table in the same transaction as its change, in
 * order, each record in an envelope of one type signed by this instance, and marks it published
 * once the broker acknowledged. A crash between the two publishes a record again: every consumer of
 * Tally's topics tolerates that (the engine returns a repeated instruction id's original outcome;
 * finality subscribers key on the height).
 *
 * <p>The table has {@code id BIGSERIAL}, {@code payload BYTEA} and {@code published_at
 * TIMESTAMPTZ}; the record key is an SQL expression over its columns.
 */
public final class OutboxRelay implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH_MAX = 100;
  private static final Duration IDLE = Duration.ofMillis(50);
  private static final Duration BACKOFF_MAX = Duration.ofSeconds(10);

  @SuppressWarnings("ArrayRecordComponent") // read from the database, sent once
  private record Row(long id, byte[] key, byte[] payload) {}

  private final JdbcTemplate jdbc;
  private final KafkaTemplate<byte[], byte[]> kafka;
  private final EnvelopeWriter writer;
  private final EnvelopeType type;
  private final String select;
  private final String markPublished;
  private final String topic;
  private final @Nullable Integer partition;
  private final Duration sendTimeout;
  private final Semaphore wakeUp = new Semaphore(0);
  private volatile boolean stopping;

  /**
   * A relay of {@code table} to {@code topic}.
   *
   * @param table the outbox table (a constant of the service, never input)
   * @param keySql the SQL expression giving a row's record key as bytes, e.g. {@code
   *     int8send(height)}
   * @param partition the partition to write to, or null for the key's
   */
  public OutboxRelay(
      JdbcTemplate jdbc,
      KafkaTemplate<byte[], byte[]> kafka,
      EnvelopeWriter writer,
      EnvelopeType type,
      String table,
      String keySql,
      String topic,
      @Nullable Integer partition,
      Duration sendTimeout) {
    this.jdbc = jdbc;
    this.kafka = kafka;
    this.writer = writer;
    this.type = type;
    this.select =
        "SELECT id, "
            + keySql
            + ", payload FROM "
            + table
            + " WHERE published_at IS NULL ORDER BY id LIMIT ?";
    this.markPublished = "UPDATE " + table + " SET published_at = now() WHERE id = ?";
    this.topic = topic;
    this.partition = partition;
    this.sendTimeout = sendTimeout;
  }

  public void stop() {
    stopping = true;
    wakeUp.release();
  }

  /** Tells the relay that a row was committed, so it publishes now rather than at its next poll. */
  public void wake() {
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
        log.warn("outbox rows not published; retrying in {}", backoff, e);
        pause(backoff);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : doubled;
      }
    }
  }

  /** Publishes up to a batch of rows; returns how many. */
  int publishBatch() {
    List<Row> rows =
        jdbc.query(
            select, (rs, i) -> new Row(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)), BATCH_MAX);
    for (Row row : rows) {
      Envelope envelope = writer.next(type, row.payload());
      try {
        kafka
            .send(new ProducerRecord<>(topic, partition, row.key(), envelope.toBytes()))
            .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing outbox row " + row.id(), e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("publishing outbox row " + row.id() + " failed", e);
      }
      jdbc.update(markPublished, row.id());
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
