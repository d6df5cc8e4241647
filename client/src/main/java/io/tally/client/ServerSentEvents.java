package io.tally.client;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code text/event-stream} body (the HTML Living Standard's event stream format) as it
 * arrives: lines end with LF (a CR before it is dropped), {@code data} lines of one event are
 * joined with LF, {@code id} sets the last event id (kept across events, as a reconnecting client
 * sends it in {@code Last-Event-ID}), {@code retry} the reconnection delay, and a line starting
 * with a colon is a comment. A line longer than {@link #LINE_BYTES_MAX} or an event's data longer
 * than {@link #EVENT_BYTES_MAX} ends the stream as an error: nothing here grows without a limit.
 */
final class ServerSentEvents implements Flow.Subscriber<List<ByteBuffer>> {

  static final int LINE_BYTES_MAX = 64 * 1024;
  static final int EVENT_BYTES_MAX = 256 * 1024;

  private final Consumer<TallyClient.Event> events;
  private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
  private final CompletableFuture<String> ended = new CompletableFuture<>();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder data = new StringBuilder();
  private volatile @Nullable String lastEventId;
  private volatile long retryMs = -1;
  private volatile boolean completed;
  private String name = "";
  private boolean dataSeen;
  private volatile Flow.@Nullable Subscription subscription;

  private final Runnable connected;

  /** Reads events into {@code events}; {@code connected} runs once the stream has started. */
  ServerSentEvents(
      @Nullable String lastEventId, Consumer<TallyClient.Event> events, Runnable connected) {
    this.lastEventId = lastEventId;
    this.events = events;
    this.connected = connected;
  }

  /** The id of the last event that had one (or the id this stream started from). */
  @Nullable String lastEventId() {
    return lastEventId;
  }

  /** The reconnection delay the server asked for with {@code retry}, or -1. */
  long retryMs() {
    return retryMs;
  }

  /** Completes once the server's 200 answer started the stream. */
  CompletableFuture<Void> subscribed() {
    return subscribed;
  }

  /** Stops reading: the connection is closed. */
  void cancel() {
    Flow.Subscription current = subscription;
    if (current != null) {
      current.cancel();
    }
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscribed.complete(null);
    connected.run();
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer buffer : buffers) {
      while (buffer.hasRemaining()) {
        byte b = buffer.get();
        if (b == '\n') {
          byte[] bytes = line.toByteArray();
          line.reset();
          int length = bytes.length;
          if (length > 0 && bytes[length - 1] == '\r') {
            length--;
          }
          if (!line(new String(bytes, 0, length, StandardCharsets.UTF_8))) {
            return;
          }
        } else if (line.size() >= LINE_BYTES_MAX) {
          end("a line of the event stream is longer than " + LINE_BYTES_MAX + " bytes");
          return;
        } else {
          line.write(b);
        }
      }
    }
    Flow.Subscription current = subscription;
    if (current != null) {
      current.request(1);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    ended.complete("the connection dropped (" + throwable.getClass().getSimpleName() + ")");
  }

  @Override
  public void onComplete() {
    completed = true;
    ended.complete("the gateway ended the stream");
  }

  /** Whether the server ended the stream (rather than the connection dropping). */
  boolean completed() {
    return completed;
  }

  /** Completes, always normally, with why the stream ended. */
  CompletableFuture<String> ended() {
    return ended;
  }

  private void end(String why) {
    ended.complete(why);
    cancel();
  }

  /** Reads one line; false if it ended the stream. */
  private boolean line(String text) {
    if (text.isEmpty()) {
      dispatch();
      return true;
    }
    if (text.startsWith(":")) {
      return true; // a comment
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> name = value;
      case "data" -> {
        if (data.length() + value.length() > EVENT_BYTES_MAX) {
          end("an event's data is longer than " + EVENT_BYTES_MAX + " characters");
          return false;
        }
        if (dataSeen) {
          data.append('\n');
        }
        data.append(value);
        dataSeen = true;
      }
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
      }
      case "retry" -> {
        if (value.matches("[0-9]{1,9}")) {
          retryMs = Long.parseLong(value);
        }
      }
      default -> {
        // Fields the format does not define are ignored, as the standard says.
      }
    }
    return true;
  }

  private void dispatch() {
    if (dataSeen) {
      String id = lastEventId;
      events.accept(
          new TallyClient.Event(
              id == null ? "" : id, name.isEmpty() ? "message" : name, data.toString()));
    }
    data.setLength(0);
    dataSeen = false;
    name = "";
  }
}
