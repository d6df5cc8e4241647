package io.tally.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A battery of hostile requests against one service: invalid UTF-8, NUL, control characters and
 * over-long values in path and query parameters, an encoded slash or backslash and a raw backslash
 * in the path, headers beyond the server's limit, an unknown path, a wrong method, an unacceptable
 * {@code Accept}, a wrong content type, a parameter of the wrong type, an unreadable body. Each
 * must answer its 4xx status with {@code Content-Type: application/problem+json} and the stable
 * {@code type} {@code urn:tally:problem:<code>}; {@link #runAgainst} reports every case that did
 * not, at once.
 */
public final class HostileInput {

  /** Longer than any id or cursor a Tally API accepts (64 characters). */
  public static final String OVER_LONG = "a".repeat(300);

  /**
   * One request and the status and problem code it must get; {@code body} is sent as ISO-8859-1,
   * one byte per character, so it can hold any byte.
   */
  public record Case(
      String name,
      String method,
      String target,
      List<String> headers,
      @Nullable String body,
      int status,
      String code) {}

  private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"([^\"]*)\"");

  private final List<Case> cases = new ArrayList<>();
  private Supplier<List<String>> extraHeaders = List::of;

  /**
   * Sends {@code headers.get()} with every request too: a fresh access token per request, so that
   * what is checked after authentication is reached.
   */
  public HostileInput withHeaders(Supplier<List<String>> headers) {
    this.extraHeaders = headers;
    return this;
  }

  /** Adds one case. */
  public HostileInput add(Case c) {
    cases.add(c);
    return this;
  }

  /**
   * What every service must answer alike: an unknown path (404 {@code not-found}), headers beyond
   * the server's limit (400 {@code malformed}), a method {@code getPath} does not take (405 {@code
   * method-not-allowed}), {@code Accept: application/xml} on {@code getPath} (406 {@code
   * not-acceptable}).
   */
  public HostileInput everyService(String getPath) {
    add(new Case("unknown path", "GET", "/v1/no-such-thing", List.of(), null, 404, "not-found"));
    add(
        new Case(
            "header over the limit",
            "GET",
            getPath,
            List.of("X-Filler: " + "a".repeat(20_000)),
            null,
            400,
            "malformed"));
    add(new Case("wrong method", "DELETE", getPath, List.of(), null, 405, "method-not-allowed"));
    add(
        new Case(
            "unacceptable Accept",
            "GET",
            getPath,
            List.of("Accept: application/xml"),
            null,
            406,
            "not-acceptable"));
    add(
        new Case(
            "unparseable Accept",
            "GET",
            getPath,
            List.of("Accept: ;;;/\"x"),
            null,
            406,
            "not-acceptable"));
    add(
        new Case(
            "control character in a header",
            "GET",
            getPath,
            List.of("X-Thing: a\u0001b"),
            null,
            400,
            "malformed"));
    return this;
  }

  /**
   * Hostile values of the path parameter in {@code template} (written {@code {}}): invalid UTF-8,
   * NUL, a control character, an encoded slash, an encoded and a raw backslash, an over-long value:
   * each 400 {@code malformed}. {@code method} and {@code body} are sent as given (a JSON body for
   * a POST endpoint).
   */
  public HostileInput pathParameter(String method, String template, @Nullable String jsonBody) {
    List<String> headers = jsonBody == null ? List.of() : List.of("Content-Type: application/json");
    String[][] values = {
      {"invalid UTF-8", "a%C3%28"},
      {"lone continuation byte", "%FF"},
      {"NUL", "a%00b"},
      {"control character", "a%01b"},
      {"encoded slash", "a%2Fb"},
      {"encoded backslash", "a%5Cb"},
      {"raw backslash", "a\\b"},
      {"over-long", OVER_LONG},
    };
    for (String[] value : values) {
      add(
          new Case(
              value[0] + " in " + template,
              method,
              template.replace("{}", value[1]),
              headers,
              jsonBody,
              400,
              "malformed"));
    }
    return this;
  }

  /**
   * Hostile values of query parameter {@code name} of {@code path}: invalid UTF-8, NUL, a control
   * character, over-long, and for an integer parameter letters, an overflowing number: each 400
   * {@code malformed}.
   */
  public HostileInput queryParameter(String path, String name, boolean integer) {
    List<String[]> values =
        new ArrayList<>(
            List.of(
                new String[] {"invalid UTF-8", "%C3%28"},
                new String[] {"lone continuation byte", "%FF"},
                new String[] {"NUL", "%00"},
                new String[] {"control character", "a%01"},
                new String[] {"broken escape", "%zz"},
                new String[] {"over-long", OVER_LONG}));
    if (integer) {
      values.add(new String[] {"letters for a number", "abc"});
      values.add(new String[] {"overflowing number", "99999999999999999999999"});
    }
    for (String[] value : values) {
      add(
          new Case(
              value[0] + " in " + path + "?" + name,
              "GET",
              path + "?" + name + "=" + value[1],
              List.of(),
              null,
              400,
              "malformed"));
    }
    return this;
  }

  /**
   * {@code path} posted as {@code text/plain}, and with an unparseable content type: 415 {@code
   * unsupported-media-type}.
   */
  public HostileInput unsupportedMediaType(String path) {
    add(
        new Case(
            "unparseable content type to " + path,
            "POST",
            path,
            List.of("Content-Type: ;;;/\"x"),
            "hello",
            415,
            "unsupported-media-type"));
    return add(
        new Case(
            "text/plain to " + path,
            "POST",
            path,
            List.of("Content-Type: text/plain"),
            "hello",
            415,
            "unsupported-media-type"));
  }

  /** A JSON body that does not parse, posted to {@code path}: 400 {@code malformed}. */
  public HostileInput unreadableBody(String path) {
    add(
        new Case(
            "truncated JSON to " + path,
            "POST",
            path,
            List.of("Content-Type: application/json"),
            "{\"payload\":",
            400,
            "malformed"));
    return add(
        new Case(
            "invalid UTF-8 in JSON to " + path,
            "POST",
            path,
            List.of("Content-Type: application/json"),
            "{\"a\":\"\u00c3(\"}",
            400,
            "malformed"));
  }

  /**
   * Drops the cases so far whose name starts with {@code namePrefix}: for a path the service does
   * not validate itself (an actuator endpoint answers an unknown name 404, not 400).
   */
  public HostileInput except(String namePrefix) {
    cases.removeIf(c -> c.name().startsWith(namePrefix));
    return this;
  }

  /** The cases so far. */
  public List<Case> cases() {
    return List.copyOf(cases);
  }

  /**
   * Sends every case to the service on {@code port} and throws one {@link AssertionError} listing
   * every case whose status, content type or problem type differs from what it must be.
   */
  public void runAgainst(int port) {
    runAgainst(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  /** {@link #runAgainst(int)} for a service listening on {@code address}. */
  public void runAgainst(InetSocketAddress address) {
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      try {
        RawHttp.Answer answer =
            RawHttp.send(
                null,
                address,
                c.method(),
                c.target(),
                headers(c),
                c.body() == null ? null : c.body().getBytes(StandardCharsets.ISO_8859_1));
        String type = type(answer.body());
        String expected = "urn:tally:problem:" + c.code();
        if (answer.status() != c.status()
            || !answer.header("Content-Type").startsWith("application/problem+json")
            || !expected.equals(type)) {
          failures.add(
              c.name()
                  + ": expected "
                  + c.status()
                  + " "
                  + expected
                  + ", got "
                  + answer.status()
                  + " "
                  + answer.header("Content-Type")
                  + " "
                  + abbreviate(answer.body()));
        } else if (answer.body().contains("Exception") || answer.body().contains("\tat ")) {
          failures.add(c.name() + ": Java text in the answer: " + abbreviate(answer.body()));
        }
      } catch (RuntimeException e) {
        failures.add(c.name() + ": " + e);
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(
          failures.size()
              + " of "
              + cases.size()
              + " hostile requests were not answered as they must be:\n  "
              + String.join("\n  ", failures));
    }
  }

  private List<String> headers(Case c) {
    List<String> all = new ArrayList<>(c.headers());
    all.addAll(extraHeaders.get());
    return all;
  }

  private static @Nullable String type(String body) {
    Matcher matcher = TYPE.matcher(body);
    return matcher.find() ? matcher.group(1) : null;
  }

  private static String abbreviate(String body) {
    String flat = body.replaceAll("\\s+", " ");
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }
}
