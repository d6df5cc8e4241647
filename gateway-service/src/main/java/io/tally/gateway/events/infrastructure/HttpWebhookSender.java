package io.tally.gateway.events.infrastructure;

import io.tally.gateway.events.application.WebhookSender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Posts deliveries with the JDK's HTTP client: {@code Content-Type: application/jose}, the {@code
 * Tally-Delivery} header (the delivery id, for the receiver's deduplication), no redirects
 * followed, the answer's body discarded, {@code timeout} for connecting and for the answer.
 */
public final class HttpWebhookSender implements WebhookSender {

  private final HttpClient http;
  private final Duration timeout;

  public HttpWebhookSender(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public int post(URI url, String deliveryId, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/jose")
            .header("Tally-Delivery", deliveryId)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IllegalArgumentException e) {
      throw new IOException("the endpoint URL cannot be posted to", e);
    }
  }
}
