package dev.lastcall.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

  @Test
  void deltaSeconds() {
    assertEquals(Duration.ofSeconds(120), RetryAfter.parse("120", NOW));
    assertEquals(Duration.ZERO, RetryAfter.parse(" 0 ", NOW));
    assertTrue(
        RetryAfter.parse("99999999999999999999", NOW).compareTo(Duration.ofDays(365 * 1000)) > 0);
  }

  @Test
  void httpDate() {
    assertEquals(Duration.ofSeconds(90), RetryAfter.parse("Wed, 21 Oct 2015 07:29:30 GMT", NOW));
    assertEquals(
        Duration.ZERO,
        RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", NOW),
        "the past means now");
  }

  @Test
  void absentOrUnreadable() {
    assertNull(RetryAfter.parse(null, NOW));
    assertNull(RetryAfter.parse("", NOW));
    assertNull(RetryAfter.parse("-5", NOW));
    assertNull(RetryAfter.parse("soon", NOW));
  }
}
