package io.tally.gateway.audit.infrastructure;

import io.tally.gateway.audit.application.LedgerAudit;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The ledger's audit API over HTTP. Its answers are passed on as they are, bounded in size: a page
 * holds at most 100 items, far below {@link #BODY_BYTES_MAX}.
 */
public final class HttpLedgerAudit implements LedgerAudit {

  static final int BODY_BYTES_MAX = 16 * 1024 * 1024;
  private static final Logger log = LoggerFactory.getLogger(HttpLedgerAudit.class);

  private final URI ledger;
  private final Duration timeout;
  private final HttpClient http;

  public HttpLedgerAudit(URI ledger, Duration timeout) {
    this.ledger = ledger;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public Answer read(String path, Map<String, String> query) throws Unavailable {
    String encoded =
        query.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    URI uri = ledger.resolve("/v1/audit/" + path + (encoded.isEmpty() ? "" : "?" + encoded));
    HttpResponse<InputStream> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      log.warn("the ledger at {} is not reachable: {}", ledger, e.toString());
      throw new Unavailable("the ledger is not reachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while asking the ledger", e);
    }
    try (InputStream body = response.body()) {
      byte[] bytes = body.readNBytes(BODY_BYTES_MAX + 1);
      int status = response.statusCode();
      if (bytes.length > BODY_BYTES_MAX || (status != 200 && status != 400 && status != 404)) {
        throw new Unavailable(
            "the ledger answered " + status + " for " + path, new IOException("HTTP " + status));
      }
      String type = response.headers().firstValue("Content-Type").orElse("application/json");
      try {
        MediaType.parseMediaType(type);
      } catch (InvalidMediaTypeException e) {
        throw new Unavailable("the ledger answered an unreadable content type", e);
      }
      return new Answer(status, type, bytes);
    } catch (IOException e) {
      throw new Unavailable("the ledger's answer broke off", e);
    }
  }
}
