package io.tally.gateway.events.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tally.engine.AccountView;
import io.tally.engine.BlockResult;
import io.tally.engine.Code;
import io.tally.engine.Outcome;
import io.tally.engine.Posting;
import io.tally.gateway.WebhookReceiver;
import io.tally.gateway.events.infrastructure.HttpWebhookSender;
import io.tally.protocol.block.BlockHeader;
import io.tally.protocol.codec.Hash;
import io.tally.protocol.jws.CompactJws;
import io.tally.protocol.jws.JwsType;
import io.tally.protocol.keys.SigningKey;
import io.tally.service.CertifiedBlock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Delivery, retries, the failed list and replays, against a real HTTP endpoint on 127.0.0.1 and
 * real signatures; the webhook state is kept in memory here ({@code GatewayIT} runs the Kafka
 * store), and the test's clock decides when a retry is due.
 */
class WebhookDeliveryTest {

  static final SigningKey KEY = SigningKey.generate(new SecureRandom());
  static final WebhookDelivery.Settings SETTINGS =
      new WebhookDelivery.Settings(
          Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(4), 3);

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    long millis = 1_000_000;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  /** Webhook state in memory, as the Kafka store keeps it. */
  static final class MemoryStore implements WebhookStore {
    final Map<String, Webhook> webhooks = new ConcurrentHashMap<>();
    final Map<String, Long> delivered = new ConcurrentHashMap<>();
    final Map<String, WebhookFailure> failures = new ConcurrentHashMap<>();

    @Override
    public void register(Webhook webhook) {
      webhooks.put(webhook.id(), webhook);
    }

    @Override
    public void remove(String id) {
      webhooks.remove(id);
    }

    @Override
    public void delivered(String id, long height) {
      delivered.merge(id, height, Math::max);
    }

    @Override
    public void failed(WebhookFailure failure) {
      failures.put(failure.webhook() + "/" + failure.height(), failure);
    }

    @Override
    public void replayed(String id, long height) {
      failures.remove(id + "/" + height);
    }

    @Override
    public List<Webhook> webhooks() {
      return List.copyOf(webhooks.values());
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
      return failures.values().stream().filter(f -> f.webhook().equals(id)).toList();
    }
  }

  final TestClock clock = new TestClock();
  final MemoryStore store = new MemoryStore();
  final FinalityFeed feed = new FinalityFeed(() -> 4, Runnable::run, 3, 100);
  final WebhookDelivery delivery =
      new WebhookDelivery(
          store,
          feed,
          new HttpWebhookSender(Duration.ofSeconds(5)),
          KEY,
          participant -> false,
          clock,
          Runnable::run, // each attempt runs inside step()
          SETTINGS);

  /** A certified block at {@code height} with one settlement {@code id} that credits bank-b. */
  static CertifiedBlock block(long height, String id) {
    long offset = height * 10;
    BlockHeader header =
        new BlockHeader(
            Hash.ZERO, 0, height, Hash.ZERO, 1, Hash.ZERO, Hash.ZERO, Hash.ZERO, 0, offset, offset);
    BlockResult result =
        new BlockResult(
            header,
            List.of(new Outcome(offset, id, Code.ACCEPTED, offset)),
            List.of(),
            List.of(
                new Posting(
                    offset, id, Posting.Movement.SETTLED, null, "a-eur", "b-eur", "EUR", 100)),
            List.of(account("a-eur", "bank-a"), account("b-eur", "bank-b")));
    return new CertifiedBlock(result, Map.of(id, List.of("bank-a")), List.of());
  }

  static AccountView account(String id, String owner) {
    return new AccountView(id, owner, "EUR", false, false, 0, 100, 0, 0);
  }

  Webhook webhook(URI url) {
    Webhook webhook = new Webhook("wh-1", "bank-b", url, 0, 4);
    store.register(webhook);
    return webhook;
  }

  /** The instruction ids of {@code request}'s delivery, once its signature verified. */
  static List<String> ids(WebhookReceiver.Request request) throws Exception {
    byte[] payload =
        CompactJws.parse(request.body())
            .verify(JwsType.WEBHOOK, kid -> Optional.of(KEY.verificationKey()))
            .payload();
    List<String> ids = new ArrayList<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\"instructionId\":\"([^\"]+)\"")
            .matcher(new String(payload, StandardCharsets.UTF_8));
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  @Test
  void aDeliveryEveryAttemptFailedIsListedTheNextComesAndAReplayDeliversItOnce() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(3)) {
      Webhook webhook = webhook(receiver.url());
      feed.certified(block(5, "s-5"));
      delivery.step(); // attempt 1 fails: retry after 1 s
      delivery.step(); // not due yet
      assertThat(receiver.requests).hasSize(1);
      clock.millis += 1_000;
      delivery.step(); // attempt 2 fails: retry after 2 s
      clock.millis += 2_000;
      delivery.step(); // attempt 3 fails: listed as failed, block 5 counts as done
      assertThat(receiver.requests).extracting(WebhookReceiver.Request::status).containsOnly(500);
      assertThat(store.failures("wh-1"))
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.height()).isEqualTo(5);
                assertThat(f.attempts()).isEqualTo(3);
                assertThat(f.lastError()).isEqualTo("HTTP 500");
              });
      assertThat(store.delivered("wh-1")).hasValue(5L);

      // The endpoint works again: the next block comes, then the failed one on replay, once.
      feed.certified(block(6, "s-6"));
      delivery.step();
      assertThat(receiver.accepted()).hasSize(1);
      assertThat(ids(receiver.accepted().get(0))).containsExactly("s-6");
      assertThat(delivery.replay(webhook, 5)).isEqualTo(200);
      assertThat(ids(receiver.accepted().get(1))).containsExactly("s-5");
      assertThat(receiver.accepted().get(1).deliveryId()).isEqualTo("wh-1:5");
      delivery.step();
      assertThat(receiver.accepted()).hasSize(2);
    }
  }

  @Test
  void blocksAreDeliveredInHeightOrderOneAfterTheOtherAndOnlyOnce() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(0)) {
      webhook(receiver.url());
      feed.certified(block(5, "s-5"));
      feed.certified(block(6, "s-6"));
      feed.certified(block(7, "s-7"));
      for (int i = 0; i < 5; i++) {
        delivery.step();
      }
      List<String> heard = new ArrayList<>();
      for (WebhookReceiver.Request request : receiver.accepted()) {
        heard.addAll(ids(request));
      }
      assertThat(heard).containsExactly("s-5", "s-6", "s-7");
      assertThat(receiver.requests)
          .extracting(WebhookReceiver.Request::deliveryId)
          .containsExactly("wh-1:5", "wh-1:6", "wh-1:7");
    }
  }

  @Test
  void aReplayOfABlockNoLongerHeldIsExpiredAndAGapIsListedNotSkippedSilently() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(0)) {
      Webhook webhook = webhook(receiver.url());
      for (long height = 5; height <= 9; height++) {
        feed.certified(block(height, "s-" + height)); // holds the newest 3 events only
      }
      assertThatThrownBy(() -> delivery.replay(webhook, 5))
          .isInstanceOf(FinalityFeed.Expired.class);
      delivery.step(); // blocks 5 and 6 are gone: listed, and delivery goes on from 7
      assertThat(store.failures("wh-1"))
          .singleElement()
          .satisfies(f -> assertThat(f.lastError()).contains("blocks 5 to 6"));
      for (int i = 0; i < 4; i++) {
        delivery.step();
      }
      List<String> heard = new ArrayList<>();
      for (WebhookReceiver.Request request : receiver.accepted()) {
        heard.addAll(ids(request));
      }
      assertThat(heard).containsExactly("s-7", "s-8", "s-9");
    }
  }
}
