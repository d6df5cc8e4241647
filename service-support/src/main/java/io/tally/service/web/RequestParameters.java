package io.tally.service.web;

import java.util.regex.Pattern;

/**
 * Checks of path and query parameters at the web boundary, before a value reaches a repository, a
 * replica or another service: ids and cursors by the syntax the protocol gives them (which bounds
 * their length and characters), page sizes and positions by their range. Each throws {@link
 * InvalidRequest} with a detail that names the rule and not the value.
 */
public final class RequestParameters {

  /** No id of the protocol is longer (ids are at most 64 characters); checked before matching. */
  private static final int VALUE_CHARS_MAX = 256;

  private RequestParameters() {}

  /**
   * {@code value} if it matches {@code syntax} (an id of the protocol), else {@link
   * InvalidRequest}.
   */
  public static String id(String name, String value, Pattern syntax) {
    if (value.length() > VALUE_CHARS_MAX || !syntax.matcher(value).matches()) {
      throw new InvalidRequest(name + " must match " + syntax.pattern());
    }
    return value;
  }

  /** A cursor: empty (from the start) or an {@link #id} of {@code syntax}. */
  public static String cursor(String name, String value, Pattern syntax) {
    return value.isEmpty() ? value : id(name, value, syntax);
  }

  /** A page size from 1 to {@code max}. */
  public static int limit(String name, int value, int max) {
    if (value < 1 || value > max) {
      throw new InvalidRequest(name + " must be between 1 and " + max);
    }
    return value;
  }

  /** A height, offset or position: not negative. */
  public static long nonNegative(String name, long value) {
    if (value < 0) {
      throw new InvalidRequest(name + " must not be negative");
    }
    return value;
  }
}
