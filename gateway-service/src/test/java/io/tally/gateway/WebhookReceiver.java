package io.tally.gateway;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook endpoint on 127.0.0.1 that answers 500 to its first {@code failures} requests and 204
 * to every later one, and keeps every request it got (delivery id, body, the status it answered).
 */
public final class WebhookReceiver implements AutoCloseable {

  /** One request as received, with the status it was answered. */
  public record Request(String deliveryId, String contentType, String body, int status) {}

  private final HttpServer server;
  private final AtomicInteger failuresLeft;
  public final List<Request> requests = new CopyOnWriteArrayList<>();

  public WebhookReceiver(int failures) throws IOException {
    failuresLeft = new AtomicInteger(failures);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
          }
          int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
          requests.add(
              new Request(
                  String.valueOf(exchange.getRequestHeaders().getFirst("Tally-Delivery")),
                  String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
                  body,
                  status));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  /** The requests it accepted (answered 204), in the order they came. */
  public List<Request> accepted() {
    return requests.stream().filter(r -> r.status() == 204).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
