package dev.lastcall.emulator;

import java.time.Duration;
import java.util.Objects;

/** How long a task spends in each phase before the next; shared by all tasks of one emulator. */
record Timings(Duration pending, Duration processing, Duration saving) {

  static final Timings DEFAULT =
      new Timings(Duration.ofMillis(200), Duration.ofSeconds(60), Duration.ofSeconds(2));

  Timings {
    check("pendingFor", pending);
    check("processingFor", processing);
    check("savingFor", saving);
  }

  private static void check(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + d);
    }
  }
}
