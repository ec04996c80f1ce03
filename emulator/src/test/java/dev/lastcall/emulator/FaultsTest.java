package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultsTest {
  @Test
  void noneHasNoFaults() {
    Faults f = Faults.none();
    assertEquals(Duration.ZERO, f.latency());
    assertEquals(0, f.errorRate());
    assertNull(f.retryAfter());
    assertEquals(Faults.builder().build(), f);
  }

  @Test
  void builderChecksEveryValue() {
    assertThrows(IllegalArgumentException.class, () -> Faults.builder().errorRate(1.5));
    assertThrows(IllegalArgumentException.class, () -> Faults.builder().hangRate(-0.1));
    assertThrows(IllegalArgumentException.class, () -> Faults.builder().rateLimitRate(Double.NaN));
    assertThrows(
        IllegalArgumentException.class, () -> Faults.builder().latency(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> Faults.builder().failFirst(-1));
    assertThrows(NullPointerException.class, () -> Faults.builder().latency(null));
  }

  @Test
  void toBuilderChangesOneSetting() {
    Faults base = Faults.builder().latency(Duration.ofMillis(50)).failFirst(2).build();
    Faults changed = base.toBuilder().errorRate(0.1).build();
    assertEquals(Duration.ofMillis(50), changed.latency());
    assertEquals(2, changed.failFirst());
    assertEquals(0.1, changed.errorRate());
  }
}
