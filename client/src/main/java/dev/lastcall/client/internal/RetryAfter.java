package dev.lastcall.client.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses an HTTP {@code Retry-After} value: delta-seconds ({@code 120}) or an HTTP-date. */
public final class RetryAfter {
  private RetryAfter() {}

  /**
   * Returns how long to wait from {@code now}, or null if {@code value} is absent or unreadable. A
   * date in the past means "now" (zero). Absurdly large values are clamped rather than overflowing:
   * any of them is longer than every deadline.
   */
  public static Duration parse(String value, Instant now) {
    if (value == null) {
      return null;
    }
    String text = value.trim();
    if (text.isEmpty()) {
      return null;
    }
    if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // More than 12 digits is over 30,000 years; clamp instead of overflowing.
      return Duration.ofSeconds(text.length() > 12 ? 999_999_999_999L : Long.parseLong(text));
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
