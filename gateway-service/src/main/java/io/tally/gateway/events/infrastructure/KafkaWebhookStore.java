package io.tally.gateway.events.infrastructure;

import io.tally.gateway.events.application.Webhook;
import io.tally.gateway.events.application.WebhookFailure;
import io.tally.gateway.events.application.WebhookStore;
import io.tally.protocol.VerificationException;
import io.tally.protocol.genesis.Genesis;
import io.tally.protocol.genesis.Role;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.jws.KeyResolver;
import io.tally.protocol.keys.SigningKey;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook state in a compacted topic ({@code tally.webhooks}, one partition), shared by every
 * gateway instance: each record is a compact JWS ({@code typ tally-webhook-state+jws}) signed by a
 * gateway instance of the genesis over {@code {"key":..,"value":..}}, where the key is {@code
 * webhook/<id>}, {@code delivered/<id>} or {@code failure/<id>/<height>} and a null value removes;
 * a record that does not verify, or whose signed key is not its record key, is ignored (logged), so
 * nobody but a gateway can add an endpoint. Every instance reads the topic from the start into
 * memory and keeps following it; a write returns once the broker acknowledged it.
 */
public final class KafkaWebhookStore implements WebhookStore, Runnable, AutoCloseable {

  /** What a record says, signed. */
  record State(
      String key,
      @Nullable Registration webhook,
      @Nullable Long delivered,
      @Nullable Failure failure) {}

  record Registration(String id, String participant, String url, long createdAt, long after) {}

  record Failure(String webhook, long height, int attempts, String lastError, long failedAt) {}

  private static final Logger log = LoggerFactory.getLogger(KafkaWebhookStore.class);
  private static final int RECORD_BYTES_MAX = 16 * 1024;

  private final Consumer<String, byte[]> consumer;
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final SigningKey key;
  private final KeyResolver gateways;
  private final Duration sendTimeout;
  private final JsonMapper json = JsonMapper.builder().build();
  private final Map<String, Webhook> webhooks = new ConcurrentHashMap<>();
  private final Map<String, Long> delivered = new ConcurrentHashMap<>();
  private final Map<String, WebhookFailure> failures = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  public KafkaWebhookStore(
      Consumer<String, byte[]> consumer,
      Producer<String, byte[]> producer,
      String topic,
      Genesis genesis,
      SigningKey key,
      Duration sendTimeout) {
    this.consumer = consumer;
    this.producer = producer;
    this.topic = topic;
    this.key = key;
    this.sendTimeout = sendTimeout;
    this.gateways =
        kid ->
            genesis
                .instances()
                .memberByKeyId(kid)
                .filter(m -> genesis.role(m.id()).equals(Optional.of(Role.GATEWAY)))
                .map(m -> m.key());
    TopicPartition partition = new TopicPartition(topic, 0);
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
  }

  /** Reads the topic up to its end at the time of the call (the state before serving). */
  public void load(Duration timeout) {
    TopicPartition partition = new TopicPartition(topic, 0);
    long end = consumer.endOffsets(List.of(partition), timeout).getOrDefault(partition, 0L);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (consumer.position(partition, timeout) < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the webhook topic " + topic + " was not read to its end in " + timeout);
      }
      pollOnce(Duration.ofMillis(200));
    }
  }

  @Override
  public void run() {
    while (running) {
      pollOnce(Duration.ofMillis(500));
    }
    consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
  }

  @Override
  public void close() {
    running = false;
  }

  private void pollOnce(Duration timeout) {
    for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
      try {
        apply(read(record));
      } catch (VerificationException | JacksonException | IllegalArgumentException e) {
        log.warn(
            "ignored webhook record at offset {} of {}: {}",
            record.offset(),
            topic,
            e.getMessage());
      }
    }
  }

  private State read(ConsumerRecord<String, byte[]> record) throws VerificationException {
    byte[] value = record.value();
    if (value == null || value.length > RECORD_BYTES_MAX) {
      throw new IllegalArgumentException("no value, or one larger than " + RECORD_BYTES_MAX);
    }
    byte[] payload = CompactJws.parse(value).verify(JwsType.WEBHOOK_STATE, gateways).payload();
    State state = json.readValue(payload, State.class);
    if (!state.key().equals(record.key())) {
      throw new IllegalArgumentException("the signed key is not the record's key");
    }
    return state;
  }

  private void apply(State state) {
    String k = state.key();
    if (k.startsWith("webhook/")) {
      String id = k.substring("webhook/".length());
      Registration r = state.webhook();
      if (r == null) {
        webhooks.remove(id);
        delivered.remove(id);
        failures.keySet().removeIf(f -> f.startsWith("failure/" + id + "/"));
      } else if (r.id().equals(id)) {
        webhooks.put(
            id,
            new Webhook(r.id(), r.participant(), URI.create(r.url()), r.createdAt(), r.after()));
      }
    } else if (k.startsWith("delivered/")) {
      Long height = state.delivered();
      String id = k.substring("delivered/".length());
      if (height != null) {
        delivered.merge(id, height, Math::max);
      }
    } else if (k.startsWith("failure/")) {
      Failure f = state.failure();
      if (f == null) {
        failures.remove(k);
      } else {
        failures.put(
            k,
            new WebhookFailure(f.webhook(), f.height(), f.attempts(), f.lastError(), f.failedAt()));
      }
    }
  }

  private void write(State state) throws Unavailable {
    byte[] signed =
        CompactJws.sign(JwsType.WEBHOOK_STATE, json.writeValueAsBytes(state), key).toBytes();
    try {
      producer
          .send(new ProducerRecord<>(topic, 0, state.key(), signed))
          .get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new Unavailable("the broker did not acknowledge the webhook state", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while writing the webhook state", e);
    }
    apply(state); // read your writes at once; the topic brings the same record again
  }

  @Override
  public void register(Webhook w) throws Unavailable {
    write(
        new State(
            "webhook/" + w.id(),
            new Registration(w.id(), w.participant(), w.url().toString(), w.createdAt(), w.after()),
            null,
            null));
  }

  @Override
  public void remove(String id) throws Unavailable {
    for (WebhookFailure failure : failures(id)) {
      replayed(id, failure.height());
    }
    write(new State("webhook/" + id, null, null, null));
  }

  @Override
  public void delivered(String id, long height) throws Unavailable {
    write(new State("delivered/" + id, null, height, null));
  }

  @Override
  public void failed(WebhookFailure f) throws Unavailable {
    write(
        new State(
            "failure/" + f.webhook() + "/" + f.height(),
            null,
            null,
            new Failure(f.webhook(), f.height(), f.attempts(), f.lastError(), f.failedAt())));
  }

  @Override
  public void replayed(String id, long height) throws Unavailable {
    write(new State("failure/" + id + "/" + height, null, null, null));
  }

  @Override
  public List<Webhook> webhooks() {
    List<Webhook> all = new ArrayList<>(webhooks.values());
    all.sort(Comparator.comparingLong(Webhook::createdAt).thenComparing(Webhook::id));
    return all;
  }

  @Override
  public Optional<Webhook> webhook(String id) {
    return Optional.ofNullable(webhooks.get(id));
  }

  @Override
  public Optional<Long> delivered(String id) {
    return Optional.ofNullable(delivered.get(id));
  }

  @Override
  public List<WebhookFailure> failures(String id) {
    Map<Long, WebhookFailure> mine = new LinkedHashMap<>();
    failures.values().stream()
        .filter(f -> f.webhook().equals(id))
        .sorted(Comparator.comparingLong(WebhookFailure::height))
        .forEach(f -> mine.put(f.height(), f));
    return List.copyOf(mine.values());
  }
}
