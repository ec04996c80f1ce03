package dev.lastcall.client.cancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackoffTest {
  static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void transientDoublesFrom100MsTo2SecondsWithFullJitter() {
    assertEquals(ms(100), Backoff.TRANSIENT.ceilingNanos(0));
    assertEquals(ms(200), Backoff.TRANSIENT.ceilingNanos(1));
    assertEquals(ms(1600), Backoff.TRANSIENT.ceilingNanos(4));
    assertEquals(ms(2000), Backoff.TRANSIENT.ceilingNanos(5));
    assertEquals(ms(2000), Backoff.TRANSIENT.ceilingNanos(1000));
    for (int i = 0; i < 1000; i++) {
      long delay = Backoff.TRANSIENT.delayNanos(3);
      assertTrue(delay >= 0 && delay <= ms(800));
    }
  }

  @Test
  void pollStartsNear50MsAndNeverExceedsOneSecond() {
    for (int i = 0; i < 1000; i++) {
      long first = Backoff.POLL.delayNanos(0);
      assertTrue(first >= ms(25) && first <= ms(50), "first poll " + first);
      long late = Backoff.POLL.delayNanos(20);
      assertTrue(late >= ms(500) && late <= ms(1000), "late poll " + late);
    }
  }
}
