package dev.lastcall.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeCountsTest {
  @Test
  void everyOutcomeInTheReadmesWordsZerosIncluded() {
    CancelReport report =
        CancelReport.of(
            Duration.ofSeconds(10),
            Duration.ofMillis(5),
            List.of(
                new TaskOutcome("a", Outcome.STOPPED, 1, Duration.ZERO, "stopped"),
                new TaskOutcome("b", Outcome.STOPPED, 1, Duration.ZERO, "stopped"),
                new TaskOutcome("c", Outcome.TIMED_OUT, 3, Duration.ZERO, "deadline")));
    OutcomeCounts counts = OutcomeCounts.of(report);
    assertEquals(2, counts.count(Outcome.STOPPED));
    assertEquals(0, counts.count(Outcome.FAILED));
    assertEquals(
        "2 stopped, 0 already done, 0 not found, 0 unauthorized, 0 failed, 1 timed out",
        counts.render());
  }

  @Test
  void howLongACancelTookWithItsDeadline() {
    CancelReport report =
        CancelReport.of(Duration.ofSeconds(10), Duration.ofMillis(412), List.of());
    assertEquals("412 ms (deadline 10000 ms)", OutcomeCounts.took(report));
  }
}
