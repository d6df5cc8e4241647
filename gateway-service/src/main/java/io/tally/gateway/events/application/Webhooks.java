package io.tally.gateway.events.application;

import io.tally.gateway.accounts.application.AccessControl;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Participants' webhooks: register, list, remove, see the failed deliveries and replay one. A
 * participant sees and changes only its own; the delivery itself is {@link WebhookDelivery}'s.
 */
public final class Webhooks {

  /** The longest endpoint URL accepted. */
  public static final int URL_CHARS_MAX = 2_000;

  /** Refused: the endpoint is not an absolute http(s) URL, or the participant has too many. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String detail) {
      super(detail);
    }
  }

  /** No webhook of the caller's with this id. */
  public static final class NotFound extends Exception {
    private static final long serialVersionUID = 1L;

    NotFound(String detail) {
      super(detail);
    }
  }

  private final WebhookStore store;
  private final FinalityFeed feed;
  private final WebhookDelivery delivery;
  private final Clock clock;
  private final int perParticipantMax;
  private final SecureRandom random = new SecureRandom();

  public Webhooks(
      WebhookStore store,
      FinalityFeed feed,
      WebhookDelivery delivery,
      Clock clock,
      int perParticipantMax) {
    this.store = store;
    this.feed = feed;
    this.delivery = delivery;
    this.clock = clock;
    this.perParticipantMax = perParticipantMax;
  }

  /**
   * Registers {@code url} for {@code caller}: deliveries start with the next certified block.
   *
   * @throws Refused if {@code url} is no absolute http or https URL without user info or fragment,
   *     longer than {@link #URL_CHARS_MAX}, or the caller has {@code perParticipantMax}
   */
  public Webhook register(AccessControl.Caller caller, String url)
      throws Refused, WebhookStore.Unavailable {
    URI endpoint = endpoint(url);
    if (mine(caller).size() >= perParticipantMax) {
      throw new Refused(
          caller.participant()
              + " has "
              + perParticipantMax
              + " webhooks, the most one participant may have: remove one first");
    }
    byte[] id = new byte[12];
    random.nextBytes(id);
    Webhook webhook =
        new Webhook(
            "wh-" + HexFormat.of().formatHex(id),
            caller.participant(),
            endpoint,
            clock.millis() / 1000,
            feed.height());
    store.register(webhook);
    return webhook;
  }

  /** The caller's webhooks, oldest first. */
  public List<Webhook> mine(AccessControl.Caller caller) {
    return store.webhooks().stream()
        .filter(w -> w.participant().equals(caller.participant()))
        .toList();
  }

  /** The caller's webhook {@code id}. */
  public Webhook webhook(AccessControl.Caller caller, String id) throws NotFound {
    return store
        .webhook(id)
        .filter(w -> w.participant().equals(caller.participant()))
        .orElseThrow(() -> new NotFound("no webhook " + id + " of " + caller.participant()));
  }

  /** The height delivered up to. */
  public long delivered(Webhook webhook) {
    return store.delivered(webhook.id()).orElse(webhook.after());
  }

  public void remove(AccessControl.Caller caller, String id)
      throws NotFound, WebhookStore.Unavailable {
    store.remove(webhook(caller, id).id());
  }

  /** The deliveries of the caller's webhook {@code id} that every attempt failed, oldest first. */
  public List<WebhookFailure> failures(AccessControl.Caller caller, String id) throws NotFound {
    return store.failures(webhook(caller, id).id());
  }

  /**
   * Delivers the failed delivery at {@code height} again, now (once; it stays listed if this
   * attempt fails too).
   *
   * @return the endpoint's status
   */
  public int replay(AccessControl.Caller caller, String id, long height)
      throws NotFound,
          FinalityFeed.Expired,
          WebhookDelivery.Undelivered,
          WebhookStore.Unavailable,
          InterruptedException {
    Webhook webhook = webhook(caller, id);
    if (store.failures(id).stream().noneMatch(f -> f.height() == height)) {
      throw new NotFound("no failed delivery of " + id + " at height " + height);
    }
    int status = delivery.replay(webhook, height);
    store.replayed(id, height);
    return status;
  }

  private static URI endpoint(String url) throws Refused {
    if (url.length() > URL_CHARS_MAX) {
      throw new Refused("the endpoint URL is longer than " + URL_CHARS_MAX + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new Refused("the endpoint is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http"))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null) {
      throw new Refused(
          "the endpoint must be an absolute http or https URL with a host, without user info or"
              + " fragment");
    }
    return uri;
  }
}
