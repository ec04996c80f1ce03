package dev.lastcall.agent.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Parses the duration syntax of every configuration key: {@code 500ms}, {@code 10s}, {@code 1.5s},
 * {@code 2m}, or ISO-8601 {@code PT10S}.
 */
final class Durations {
  static final String ACCEPTED =
      "a positive duration with a unit, such as 500ms, 10s, 1.5s or 2m (or ISO-8601 like PT10S)";

  private Durations() {}

  static Duration parse(String text) throws RefusedValue {
    String value = text.trim();
    Duration parsed;
    try {
      if (value.regionMatches(true, 0, "PT", 0, 2)) {
        parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
      } else if (value.endsWith("ms")) {
        parsed = Duration.ofNanos(toNanos(value.substring(0, value.length() - 2), 1_000_000L));
      } else if (value.endsWith("s")) {
        parsed = Duration.ofNanos(toNanos(value.substring(0, value.length() - 1), 1_000_000_000L));
      } else if (value.endsWith("m")) {
        parsed = Duration.ofNanos(toNanos(value.substring(0, value.length() - 1), 60_000_000_000L));
      } else {
        throw new RefusedValue("expected " + ACCEPTED);
      }
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      throw new RefusedValue("expected " + ACCEPTED);
    }
    if (parsed.isNegative() || parsed.isZero()) {
      throw new RefusedValue("expected " + ACCEPTED);
    }
    return parsed;
  }

  private static long toNanos(String number, long unitNanos) {
    String digits = number.trim();
    if (digits.isEmpty() || digits.startsWith("+") || digits.startsWith("-")) {
      throw new NumberFormatException(number);
    }
    return new BigDecimal(digits).multiply(BigDecimal.valueOf(unitNanos)).longValueExact();
  }

  /** Formats a duration the way users write it: {@code 10s}, {@code 1500ms}. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }
}
