package io.tally.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 over a plain socket to 127.0.0.1, for the requests {@link java.net.http.HttpClient}
 * refuses to send (an encoded slash, a backslash, NUL or invalid UTF-8 in the request target,
 * headers beyond the server's limit): the request line and headers go out byte for byte as given.
 */
public final class RawHttp {

  private static final int ANSWER_BYTES_MAX = 1024 * 1024;
  private static final int TIMEOUT_MS = 10_000;

  private RawHttp() {}

  /**
   * An answer: the status, the headers (names in lower case, the last value of a repeated one) and
   * the body (de-chunked, as UTF-8).
   */
  public record Answer(int status, Map<String, String> headers, String body) {

    /** The value of header {@code name} (any case), or the empty string. */
    public String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
  }

  /**
   * Sends {@code method target HTTP/1.1} with {@code headers} (each {@code "Name: value"}) and
   * {@code body}, from the local address {@code from} (null: the system's choice), to {@code port}
   * on 127.0.0.1, and reads the whole answer ({@code Connection: close}).
   */
  public static Answer send(
      @Nullable InetAddress from,
      int port,
      String method,
      String target,
      List<String> headers,
      byte @Nullable [] body) {
    return send(
        from,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        method,
        target,
        headers,
        body);
  }

  /** {@link #send} to {@code to}, another loopback address than 127.0.0.1 for instance. */
  public static Answer send(
      @Nullable InetAddress from,
      InetSocketAddress to,
      String method,
      String target,
      List<String> headers,
      byte @Nullable [] body) {
    String authority = to.getHostString() + ":" + to.getPort();
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(authority).append("\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket()) {
      if (from != null) {
        socket.bind(new InetSocketAddress(from, 0));
      }
      socket.connect(to, TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      // ISO-8859-1 maps each char below 256 to one byte, so a test can write any byte it likes.
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException("no answer from " + authority, e);
    }
  }

  /** {@link #send} of a GET with {@code headers}, from the system's choice of address. */
  public static Answer get(int port, String target, String... headers) {
    return send(null, port, "GET", target, List.of(headers), null);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) != -1; ) {
      all.write(buffer, 0, n);
      if (all.size() > ANSWER_BYTES_MAX) {
        throw new IOException("answer larger than " + ANSWER_BYTES_MAX + " bytes");
      }
    }
    return all.toByteArray();
  }

  private static Answer parse(byte[] raw) throws IOException {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no complete header in: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n", -1);
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2) {
      throw new IOException("no status line: " + lines[0]);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      body = dechunk(body);
    }
    return new Answer(
        Integer.parseInt(statusLine[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] chunked) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int lineEnd = indexOfCrlf(chunked, at);
      if (lineEnd < 0) {
        throw new IOException("truncated chunk size");
      }
      String size = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1);
      int semicolon = size.indexOf(';');
      int length =
          Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      at = lineEnd + 2;
      if (length == 0) {
        return body.toByteArray();
      }
      if (at + length > chunked.length) {
        throw new IOException("truncated chunk");
      }
      body.write(chunked, at, length);
      at += length + 2;
    }
  }

  private static int indexOfCrlf(byte[] bytes, int from) {
    for (int i = from; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
