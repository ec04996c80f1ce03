package dev.lastcall.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportJsonTest {
  private final CancelReport report =
      CancelReport.of(
          Duration.ofSeconds(10),
          Duration.ofMillis(412),
          List.of(
              new TaskOutcome("a1", Outcome.STOPPED, 1, Duration.ofMillis(12), "stopped", 200),
              new TaskOutcome(
                  "b2",
                  Outcome.ALREADY_DONE,
                  3,
                  Duration.ofMillis(40),
                  "status \"completed\"\n",
                  200),
              new TaskOutcome("c3", Outcome.TIMED_OUT, 0, Duration.ZERO, "never tried")));

  @Test
  void rendersTheDocumentedShape() {
    assertEquals(
        "{\"deadlineMs\":10000,\"durationMs\":412,\"counts\":{\"STOPPED\":1,\"ALREADY_DONE\":1,\"NOT_FOUND\":0,\"UNAUTHORIZED\":0,\"FAILED\":0,\"TIMED_OUT\":1},\"tasks\":[\n"
            + "{\"id\":\"a1\",\"family\":\"cloud\",\"outcome\":\"STOPPED\",\"httpStatus\":200,\"attempts\":1,\"ms\":12,\"detail\":\"stopped\"},\n"
            + "{\"id\":\"b2\",\"family\":\"cloud\",\"outcome\":\"ALREADY_DONE\",\"httpStatus\":200,\"attempts\":3,\"ms\":40,\"detail\":\"status"
            + " \\\"completed\\\"\\n"
            + "\"},\n"
            + "{\"id\":\"c3\",\"family\":\"cloud\",\"outcome\":\"TIMED_OUT\",\"httpStatus\":0,\"attempts\":0,\"ms\":0,\"detail\":\"never"
            + " tried\"}]}\n",
        ReportJson.render(report));
  }

  @Test
  void aV1RunIsNamedByItsKeyWithItsFamily() {
    CancelReport mixed =
        CancelReport.of(
            Duration.ofSeconds(10),
            Duration.ofMillis(5),
            List.of(
                new TaskOutcome("a1", Outcome.STOPPED, 1, Duration.ofMillis(1), "stopped"),
                new TaskOutcome("v1/a1", Outcome.STOPPED, 1, Duration.ofMillis(1), "cancelled")));
    String json = ReportJson.render(mixed);
    assertTrue(json.contains("{\"id\":\"a1\",\"family\":\"cloud\","), json);
    assertTrue(json.contains("{\"id\":\"v1/a1\",\"family\":\"v1\","), json);
  }

  @Test
  void summaryLineCountsEveryOutcome() {
    assertEquals(
        "3 tasks at shutdown, handled in 412 ms (deadline 10000 ms): 1 stopped, 1 already done, 0"
            + " not found, 0 unauthorized, 0 failed, 1 timed out",
        SummaryLine.render(report));
  }

  @Test
  void eachTaskMaySayHowItWasFoundInAnAddedField() {
    Map<String, String> found = Map.of("a1", "api", "b2", "joined");
    String json = ReportJson.render(report, found::get);
    assertTrue(
        json.contains(
            "{\"id\":\"a1\",\"family\":\"cloud\",\"outcome\":\"STOPPED\",\"httpStatus\":200,\"attempts\":1,\"ms\":12,\"detail\":\"stopped\",\"found\":\"api\"}"),
        json);
    assertTrue(json.contains("\"found\":\"joined\"}"), json);
    assertTrue(json.contains("\"detail\":\"never tried\"}"), "unknown: no field: " + json);
    assertEquals(ReportJson.render(report), ReportJson.render(report, id -> null));
  }

  @Test
  void summaryLineSaysHowTasksWereFoundUnlessAllThroughTheApi() {
    assertEquals(SummaryLine.render(report), SummaryLine.render(report, id -> "api"));
    Map<String, String> found = Map.of("a1", "api", "b2", "joined", "c3", "tracking");
    assertEquals(
        SummaryLine.render(report) + "; found: 1 api, 1 joined, 1 tracking",
        SummaryLine.render(report, found::get));
  }

  @Test
  void summaryLineWithNothingRegistered() {
    assertEquals(
        "no registered tasks at shutdown (3 ms)",
        SummaryLine.render(
            CancelReport.of(Duration.ofSeconds(10), Duration.ofMillis(3), List.of())));
  }

  @Test
  void controlCharactersAreEscaped() {
    StringBuilder out = new StringBuilder();
    ReportJson.string(out, "a\u0001b\\c\u2028");
    assertEquals("\"a\\u0001b\\\\c\\u2028\"", out.toString());
  }
}
