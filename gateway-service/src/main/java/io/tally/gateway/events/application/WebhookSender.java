package io.tally.gateway.events.application;

import java.io.IOException;
import java.net.URI;

/** Posts a delivery to an endpoint and returns its HTTP status. */
public interface WebhookSender {

  /**
   * Posts {@code body} to {@code url} and returns the answer's status.
   *
   * @throws IOException if no answer came (refused, reset, timed out)
   */
  int post(URI url, String deliveryId, byte[] body) throws IOException, InterruptedException;
}
