package dev.lastcall.it;

import static dev.lastcall.it.Scenario.assertAgrees;
import static dev.lastcall.it.Scenario.assertEveryOutcome;
import static dev.lastcall.it.Scenario.assertExitedByDeadline;
import static dev.lastcall.it.Scenario.assertOneEntryPerId;
import static dev.lastcall.it.Scenario.assertSummaryLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.Faults;
import dev.lastcall.emulator.TaskView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A service that is having a bad moment: 5xx storms that clear, 429 with and without {@code
 * Retry-After}, and a {@code Retry-After} longer than the deadline. The faults start after READY,
 * so only the agent's stop and status calls see them. Each over both transports ({@link Scenario}):
 * over h2 the retries share a connection, and {@code Retry-After} arrives as an HPACK header.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RetryFaultsIT {
  private static final long DEADLINE_MS = 5_000;
  private static final int TASKS = 20;

  @TempDir Path dir;

  private Scenario.Run run(
      String name, Transport transport, Emulator emulator, String key, Faults faults)
      throws Exception {
    Path report = dir.resolve("report.json");
    AgentJvm app =
        AgentJvm.sampleApp()
            .baseUrl(emulator.baseUrl())
            .talksTo(emulator, dir)
            .apiKey(key)
            .tasks(TASKS)
            .timeout(DEADLINE_MS + "ms")
            .report(report);
    Scenario.Run run =
        Scenario.run(
            name + ", " + transport, app, report, "TERM", child -> emulator.faults(faults), null);
    assertEquals(143, run.exitCode(), run.described());
    assertEquals(TASKS, run.registered());
    assertExitedByDeadline(run, DEADLINE_MS);
    assertSummaryLine(run);
    assertOneEntryPerId(run, Scenario.idsOf(emulator));
    assertAgrees(run, emulator);
    Scenario.assertTransport(run, transport, emulator);
    return run;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void a5xxStormThatClearsAfterThreeTries(Transport transport) throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator =
        Scenario.emulator(transport, key, Duration.ZERO, Duration.ofMinutes(10))) {
      Scenario.Run run =
          run("5xx x3", transport, emulator, key, Faults.builder().failFirst(3).build());
      assertEveryOutcome(run, Set.of("STOPPED"));
      for (AgentReport.Entry entry : run.requireReport().tasks()) {
        assertTrue(entry.attempts() >= 4, "three 500s then a stop: " + entry);
      }
      for (TaskView task : emulator.tasks()) {
        assertTrue(task.stopCalls() >= 4, task.toString());
        assertEquals(1, task.successfulStops(), task.toString());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void rateLimitedWithoutRetryAfter(Transport transport) throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator =
        Scenario.emulator(transport, key, Duration.ZERO, Duration.ofMinutes(10))) {
      Scenario.Run run =
          run(
              "429 x2, no Retry-After",
              transport,
              emulator,
              key,
              Faults.builder().rateLimitFirst(2).build());
      assertEveryOutcome(run, Set.of("STOPPED"));
      for (TaskView task : emulator.tasks()) {
        assertTrue(task.stopCalls() >= 3, task.toString());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void rateLimitedWithARetryAfterInsideTheDeadlineIsHonoured(Transport transport) throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator =
        Scenario.emulator(transport, key, Duration.ZERO, Duration.ofMinutes(10))) {
      Scenario.Run run =
          run(
              "429 x1, Retry-After 1 s",
              transport,
              emulator,
              key,
              Faults.builder().rateLimitFirst(1).retryAfter(Duration.ofSeconds(1)).build());
      assertEveryOutcome(run, Set.of("STOPPED"));
      for (AgentReport.Entry entry : run.requireReport().tasks()) {
        assertTrue(entry.ms() >= 950, "Retry-After: 1 was not waited for: " + entry);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void aRetryAfterBeyondTheDeadlineEndsTimedOutAtOnceAndTheJvmExitsEarly(Transport transport)
      throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator =
        Scenario.emulator(transport, key, Duration.ZERO, Duration.ofMinutes(10))) {
      Scenario.Run run =
          run(
              "429, Retry-After 60 s",
              transport,
              emulator,
              key,
              Faults.builder().rateLimitFirst(1).retryAfter(Duration.ofSeconds(60)).build());
      assertEveryOutcome(run, Set.of("TIMED_OUT"));
      // Nothing to wait for: the server said "not before 60 s", so the agent gives up at once
      // instead of holding the JVM to its 5 s deadline.
      assertTrue(
          run.signalToExitMs() < DEADLINE_MS / 2, "exit took " + run.signalToExitMs() + " ms");
      for (TaskView task : emulator.tasks()) {
        assertEquals(1, task.stopCalls(), "asked again before Retry-After: " + task);
        assertEquals(0, task.successfulStops(), task.toString());
        assertTrue(!task.status().equals("stopped"), task.toString());
      }
    }
  }
}
