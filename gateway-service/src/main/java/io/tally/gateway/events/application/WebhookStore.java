package io.tally.gateway.events.application;

import java.util.List;
import java.util.Optional;

/**
 * Where webhooks, their delivery progress and their failed deliveries are kept, durably and alike
 * for every gateway instance: a write returns once it is stored.
 */
public interface WebhookStore {

  /** Not stored: the store did not acknowledge the write (it may or may not be kept). */
  final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    public Unavailable(String detail, Throwable cause) {
      super(detail, cause);
    }
  }

  void register(Webhook webhook) throws Unavailable;

  void remove(String id) throws Unavailable;

  /** Every block up to {@code height} was delivered to (or given up on for) {@code id}. */
  void delivered(String id, long height) throws Unavailable;

  void failed(WebhookFailure failure) throws Unavailable;

  /** The failed delivery at {@code height} was delivered again. */
  void replayed(String id, long height) throws Unavailable;

  List<Webhook> webhooks();

  Optional<Webhook> webhook(String id);

  /**
   * The height delivered up to, or empty when nothing was yet (delivery starts at the height the
   * webhook was registered at).
   */
  Optional<Long> delivered(String id);

  List<WebhookFailure> failures(String id);
}
