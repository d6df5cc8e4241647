package io.tally.gateway.events.application;

import java.util.regex.Pattern;

/**
 * Where a finality event sits in the certified chain: its block's {@code height} and its record's
 * log {@code offset}; written {@code height:offset}, the SSE event id and {@code Last-Event-ID}.
 */
public record Position(long height, long offset) implements Comparable<Position> {

  private static final Pattern TEXT = Pattern.compile("[0-9]{1,18}:[0-9]{1,18}");

  /** Not {@code height:offset} with two decimal numbers of at most 18 digits. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String detail) {
      super(detail);
    }
  }

  /**
   * The position {@code text} names.
   *
   * @throws Malformed if it is not {@code height:offset}
   */
  public static Position parse(String text) throws Malformed {
    if (!TEXT.matcher(text).matches()) {
      throw new Malformed(
          "an event id is height:offset, two decimal numbers (the id of the last event received)");
    }
    int colon = text.indexOf(':');
    return new Position(
        Long.parseLong(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
  }

  @Override
  public int compareTo(Position other) {
    int byHeight = Long.compare(height, other.height);
    return byHeight != 0 ? byHeight : Long.compare(offset, other.offset);
  }

  @Override
  public String toString() {
    return height + ":" + offset;
  }
}
