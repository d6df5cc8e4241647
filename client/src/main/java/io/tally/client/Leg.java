package io.tally.client;

import java.util.regex.Pattern;

/**
 * One leg of a settlement or reservation: {@code amount} minor units of {@code asset} from {@code
 * debit} to {@code credit}. The amount is decimal text (a positive integer below 10^19), as the
 * engine reads it; the engine, not the client, is the judge of limits.
 */
public record Leg(String debit, String credit, String asset, String amount) {

  private static final Pattern TEXT = Pattern.compile("([^:]+):([^:]+):([^:]+):([^:]+)");

  public static Leg of(String debit, String credit, String asset, long amount) {
    return new Leg(debit, credit, asset, Long.toString(amount));
  }

  /**
   * Reads {@code debit:credit:asset:amount}, the form the CLI takes.
   *
   * @throws IllegalArgumentException for any other shape
   */
  public static Leg parse(String text) {
    var matcher = TEXT.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "a leg is debit:credit:asset:amount, for example a-eur:b-eur:EUR:100, not " + text);
    }
    return new Leg(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4));
  }
}
