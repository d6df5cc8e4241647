package io.tally.gateway.events.application;

import io.tally.protocol.codec.JsonWriter;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each webhook's finality events, one signed delivery per certified block that holds an
 * event its participant may see, in height order: the next block only once the endpoint answered
 * 2xx for this one (at least once: a delivery whose answer was lost comes again, with the same
 * {@code deliveryId}). A failed attempt is retried after a backoff that doubles from {@code
 * backoffMin} up to {@code backoffMax}; after {@code attemptsMax} attempts the delivery is listed
 * as failed and the next block comes, unless {@link #FAILURES_MAX} are listed already: then this
 * one is retried every {@code backoffMax} until it is delivered or failures are replayed. Each
 * delivery is a compact JWS ({@code typ tally-webhook+jws}) signed by this gateway instance's key,
 * verifiable with the gateways' JWKS. Webhooks are attempted in parallel on {@code posts}, each
 * with at most one attempt at a time.
 */
public final class WebhookDelivery implements Runnable {

  /** The endpoint did not answer 2xx. */
  public static final class Undelivered extends Exception {
    private static final long serialVersionUID = 1L;

    Undelivered(String detail) {
      super(detail);
    }
  }

  /** How often the webhooks are looked at, and how failed attempts are retried. */
  public record Settings(
      Duration poll, Duration backoffMin, Duration backoffMax, int attemptsMax) {}

  /** The most failed deliveries listed per webhook. */
  public static final int FAILURES_MAX = 1_000;

  private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);

  private final WebhookStore store;
  private final FinalityFeed feed;
  private final WebhookSender sender;
  private final SigningKey key;
  private final Predicate<String> auditor;
  private final Clock clock;
  private final Executor posts;
  private final Settings settings;
  private final Map<String, Attempts> attempts = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  /** One webhook's retry state. */
  private static final class Attempts {
    int failed;
    long notBefore;
    boolean inFlight;
  }

  /**
   * A delivery over {@code store}'s webhooks of {@code feed}'s events.
   *
   * @param auditor whether a participant holds the auditor role (it hears of every instruction)
   */
  public WebhookDelivery(
      WebhookStore store,
      FinalityFeed feed,
      WebhookSender sender,
      SigningKey key,
      Predicate<String> auditor,
      Clock clock,
      Executor posts,
      Settings settings) {
    this.store = store;
    this.feed = feed;
    this.sender = sender;
    this.key = key;
    this.auditor = auditor;
    this.clock = clock;
    this.posts = posts;
    this.settings = settings;
  }

  @Override
  public void run() {
    while (running) {
      step();
      try {
        Thread.sleep(settings.poll().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public void stop() {
    running = false;
  }

  /** Starts an attempt for every webhook that is due and has none under way. */
  void step() {
    long now = clock.millis();
    Set<String> ids =
        store.webhooks().stream().map(Webhook::id).collect(Collectors.toUnmodifiableSet());
    attempts.keySet().retainAll(ids);
    for (Webhook webhook : store.webhooks()) {
      Attempts state = attempts.computeIfAbsent(webhook.id(), id -> new Attempts());
      synchronized (state) {
        if (state.inFlight || now < state.notBefore) {
          continue;
        }
        state.inFlight = true;
      }
      posts.execute(() -> attempt(webhook, state));
    }
  }

  private void attempt(Webhook webhook, Attempts state) {
    long now = clock.millis();
    long retryAt = 0;
    try {
      long after = store.delivered(webhook.id()).orElse(webhook.after());
      Optional<FinalityFeed.Block> next;
      try {
        next = feed.next(after, visible(webhook));
      } catch (FinalityFeed.Expired e) {
        long heldAbove = feed.heldAbove();
        store.failed(
            new WebhookFailure(
                webhook.id(),
                after + 1,
                0,
                "blocks "
                    + (after + 1)
                    + " to "
                    + heldAbove
                    + " are no longer held by this gateway: read the accounts' history",
                now / 1000));
        store.delivered(webhook.id(), heldAbove);
        return;
      }
      if (next.isEmpty()) {
        return;
      }
      FinalityFeed.Block block = next.get();
      String failure = post(webhook, block);
      if (failure == null) {
        store.delivered(webhook.id(), block.height());
        state.failed = 0;
        return;
      }
      state.failed++;
      if (state.failed < settings.attemptsMax()
          || store.failures(webhook.id()).size() >= FAILURES_MAX) {
        retryAt = now + backoff(state.failed);
        return;
      }
      log.warn(
          "webhook {} of {}: giving up on the delivery of block {} after {} attempts: {}",
          webhook.id(),
          webhook.participant(),
          block.height(),
          state.failed,
          failure);
      store.failed(
          new WebhookFailure(webhook.id(), block.height(), state.failed, failure, now / 1000));
      store.delivered(webhook.id(), block.height());
      state.failed = 0;
    } catch (WebhookStore.Unavailable e) {
      log.warn("webhook {}: the store is unavailable: {}", webhook.id(), e.getMessage());
      retryAt = now + settings.backoffMin().toMillis();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("webhook {}: delivery failed", webhook.id(), e);
      retryAt = now + settings.backoffMax().toMillis();
    } finally {
      synchronized (state) {
        state.notBefore = retryAt;
        state.inFlight = false;
      }
    }
  }

  /**
   * Delivers the block at {@code height} to {@code webhook} once more (a failed delivery's replay).
   *
   * @return the endpoint's 2xx status
   * @throws FinalityFeed.Expired if that block's events are no longer held
   * @throws Undelivered if the endpoint did not answer 2xx
   */
  public int replay(Webhook webhook, long height)
      throws FinalityFeed.Expired, Undelivered, InterruptedException {
    Optional<FinalityFeed.Block> block = feed.next(height - 1, visible(webhook));
    if (block.isEmpty() || block.get().height() != height) {
      throw new FinalityFeed.Expired(
          "the events of block " + height + " are no longer held by this gateway");
    }
    String failure = post(webhook, block.get());
    if (failure != null) {
      throw new Undelivered("the endpoint answered: " + failure);
    }
    return 200;
  }

  /** The reason the attempt failed, or null once the endpoint answered 2xx. */
  private @org.jspecify.annotations.Nullable String post(Webhook webhook, FinalityFeed.Block block)
      throws InterruptedException {
    String deliveryId = webhook.id() + ":" + block.height();
    byte[] body =
        CompactJws.sign(JwsType.WEBHOOK, payload(webhook, deliveryId, block), key).toBytes();
    try {
      int status = sender.post(webhook.url(), deliveryId, body);
      return status / 100 == 2 ? null : "HTTP " + status;
    } catch (IOException e) {
      return "no answer: " + e.getClass().getSimpleName();
    }
  }

  private byte[] payload(Webhook webhook, String deliveryId, FinalityFeed.Block block) {
    JsonWriter json = new JsonWriter().beginObject();
    json.member("deliveryId", deliveryId)
        .member("webhook", webhook.id())
        .member("participant", webhook.participant())
        .member("height", block.height())
        .member("sentAt", clock.millis() / 1000);
    json.name("events").beginArray();
    for (Finality event : block.events()) {
      json.beginObject()
          .member("id", event.position().toString())
          .member("instructionId", event.instructionId())
          .member("code", event.code())
          .member("height", event.height())
          .member("offset", event.offset());
      json.name("accounts").beginArray();
      event.accounts().forEach(json::value);
      json.endArray().endObject();
    }
    return json.endArray().endObject().toUtf8();
  }

  private Predicate<Finality> visible(Webhook webhook) {
    boolean isAuditor = auditor.test(webhook.participant());
    return event -> event.visibleTo(webhook.participant(), isAuditor);
  }

  private long backoff(int failed) {
    long doubled = settings.backoffMin().toMillis() << Math.min(failed - 1, 20);
    return Math.min(doubled, settings.backoffMax().toMillis());
  }
}
