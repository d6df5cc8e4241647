package io.tally.cli;

import io.tally.client.Leg;
import io.tally.client.TallyClient;
import io.tally.client.TallyException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * Amounts as people write them. The network counts minor units ({@code 750000} of EUR); an asset's
 * scale (its decimal places, from the identity desk's {@code GET /v1/assets}) turns them into
 * {@code 7500.00 EUR} and back. JSON output keeps minor units as decimal strings (ADR 0015).
 */
final class Amounts {

  /** {@code debit:credit:7500.00 EUR}: an amount in the asset's units, then its code. */
  private static final Pattern WORDS =
      Pattern.compile("([^:\\s]+):([^:\\s]+):\\s*([0-9]+(?:\\.[0-9]+)?)\\s+([A-Za-z0-9]+)\\s*");

  /** Digits of a decimal amount with a point. */
  private static final Pattern DECIMAL = Pattern.compile("[0-9]+\\.[0-9]+");

  private static final int DIGITS_MAX = 40;

  private Amounts() {}

  /**
   * Reads a leg: {@code debit:credit:ASSET:AMOUNT} with {@code AMOUNT} in minor units (as before)
   * or with a decimal point in the asset's units ({@code a-eur:b-eur:EUR:7500.00}), or {@code
   * debit:credit:AMOUNT ASSET} in the asset's units ({@code "a-eur:b-eur:7500.00 EUR"}, {@code
   * "a-eur:b-eur:7500 EUR"}). The engine, not the CLI, judges the amount's range.
   *
   * @throws CommandLine.ParameterException for another shape, or more decimals than the scale
   */
  static Leg leg(CommandLine.Model.CommandSpec spec, String text, Scales scales)
      throws TallyException {
    Matcher words = WORDS.matcher(text);
    if (words.matches()) {
      String asset = words.group(4);
      return new Leg(
          words.group(1), words.group(2), asset, minor(spec, words.group(3), asset, scales));
    }
    Leg leg;
    try {
      leg = Leg.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "a leg is debit:credit:ASSET:MINOR_UNITS or \"debit:credit:AMOUNT ASSET\", for example"
              + " a-eur:b-eur:EUR:750000 or \"a-eur:b-eur:7500.00 EUR\"; not "
              + text);
    }
    if (DECIMAL.matcher(leg.amount()).matches()) {
      return new Leg(
          leg.debit(), leg.credit(), leg.asset(), minor(spec, leg.amount(), leg.asset(), scales));
    }
    return leg;
  }

  /** {@code amount} in {@code asset}'s units as minor units (decimal text). */
  private static String minor(
      CommandLine.Model.CommandSpec spec, String amount, String asset, Scales scales)
      throws TallyException {
    if (amount.length() > DIGITS_MAX) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "the amount " + amount + " has more than " + DIGITS_MAX + " digits");
    }
    Optional<Integer> scale = scales.scale(asset);
    if (scale.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "the identity desk knows no asset "
              + asset
              + ", so its decimal places are unknown: see `tally assets`");
    }
    BigDecimal units = new BigDecimal(amount).movePointRight(scale.get());
    try {
      BigInteger minor = units.toBigIntegerExact();
      return minor.toString();
    } catch (ArithmeticException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          asset + " has " + scale.get() + " decimal places; " + amount + " has more",
          e);
    }
  }

  /** {@code minor} units with {@code scale} decimal places: {@code 750000, 2} is 7500.00. */
  static String format(long minor, int scale) {
    return BigDecimal.valueOf(minor, scale).toPlainString();
  }

  /** {@code minor} units of {@code asset} for people: {@code 7500.00 EUR}. */
  static String format(long minor, String asset, Scales scales) {
    return scales
        .known(asset)
        .map(scale -> format(minor, scale) + " " + asset)
        .orElse(minor + " " + asset + " (minor units)");
  }

  /**
   * The assets' scales, read once from the identity desk when first needed. For display, a desk
   * that cannot be reached is said once on standard error and amounts stay in minor units; for
   * input, it is an error.
   */
  static final class Scales {
    private final TallyClient client;
    private final PrintWriter err;
    private @Nullable Map<String, Integer> scales;
    private @Nullable TallyException failure;

    Scales(TallyClient client, PrintWriter err) {
      this.client = client;
      this.err = err;
    }

    /** The scale of {@code asset}, or empty if the desk does not list it. */
    Optional<Integer> scale(String asset) throws TallyException {
      if (scales == null) {
        Map<String, Integer> read = new HashMap<>();
        for (TallyClient.Asset a : client.assets()) {
          read.put(a.code(), a.scale());
        }
        scales = read;
      }
      return Optional.ofNullable(scales.get(asset));
    }

    /** The scale of {@code asset} for display: empty if unknown or the desk cannot be asked. */
    Optional<Integer> known(String asset) {
      if (failure != null) {
        return Optional.empty();
      }
      try {
        return scale(asset);
      } catch (TallyException e) {
        failure = e;
        err.println("tally: amounts in minor units: cannot read the assets: " + e.getMessage());
        err.flush();
        return Optional.empty();
      }
    }
  }
}
