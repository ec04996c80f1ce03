package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.Faults;
import dev.lastcall.emulator.TaskView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real JVMs under the agent, real signals, real HTTP to an in-process emulator. Every test asserts
 * what the emulator saw and what the report says, never log wording; the JVMs run one after
 * another.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ShutdownTest {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /**
   * What the JVM may take beyond the agent's deadline to write the report and halt (see Scenario).
   */
  private static final long MARGIN_MS = Scenario.EXIT_MARGIN_MS;

  @TempDir Path dir;

  private static Emulator emulator(String key, Duration pendingFor) throws IOException {
    return Emulator.builder()
        .host("127.0.0.1")
        .port(0)
        .apiKey(key)
        .pendingFor(pendingFor)
        .processingFor(Duration.ofMinutes(10)) // nothing finishes by itself during a test
        .savingFor(Duration.ofMinutes(1))
        .faults(Faults.none())
        .start();
  }

  /** What one run of the app produced. */
  record Run(
      int registered,
      int exitCode,
      long exitMs,
      Map<String, Long> countsAtStop,
      List<String> stdout,
      List<String> stderr,
      AgentReport report,
      String described) {}

  /**
   * Starts the app, waits for READY, runs {@code beforeStop}, sends {@code signal} (null: the app
   * stops itself), and waits for the exit. exitMs counts from the signal, or from READY when the
   * app stops itself.
   */
  private Run run(Emulator emulator, AgentJvm app, Path report, String signal, Runnable beforeStop)
      throws Exception {
    try (ChildJvm child = app.start()) {
      int registered = child.awaitReady(READY_TIMEOUT);
      Map<String, Long> countsAtStop = emulator.countsByStatus();
      if (beforeStop != null) {
        beforeStop.run();
      }
      if (signal != null) {
        if (signal.equals("INT")) {
          Assumptions.assumeFalse(
              AgentJvm.sigintIgnored(child.pid()),
              "SIGINT is ignored in this environment (inherited SIG_IGN); a JVM cannot receive it");
        }
        child.signal(signal);
      }
      int exitCode;
      try {
        exitCode = child.awaitExit(Duration.ofSeconds(30));
      } catch (TimeoutException e) {
        fail(e.getMessage());
        return null;
      }
      long from = signal != null ? child.signalledAtNanos() : child.readyAtNanos();
      long exitMs = (System.nanoTime() - from) / 1_000_000;
      AgentReport parsed = report != null && Files.exists(report) ? AgentReport.read(report) : null;
      System.out.printf(
          "[it] %d tasks, at stop %s, %s -> exit %d in %d ms; report %s%n",
          registered,
          countsAtStop,
          signal == null ? "app exits itself" : "SIG" + signal,
          exitCode,
          exitMs,
          parsed == null ? "none" : parsed.durationMs() + " ms " + parsed.counts());
      return new Run(
          registered,
          exitCode,
          exitMs,
          countsAtStop,
          child.stdout(),
          child.stderr(),
          parsed,
          child.describe());
    }
  }

  private AgentJvm app(Emulator emulator, String key, Path report) {
    return AgentJvm.sampleApp().baseUrl(emulator.baseUrl()).apiKey(key).report(report);
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void sigtermWith300TasksManyStillPendingStopsEveryOneWithinTheDeadline() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = emulator(key, Duration.ofSeconds(1))) {
      Run run =
          run(emulator, app(emulator, key, report).tasks(300).timeout("5s"), report, "TERM", null);

      assertTrue(
          run.countsAtStop().getOrDefault("pending", 0L) > 0,
          "precondition: some tasks should still be pending at the signal: " + run.countsAtStop());
      assertEquals(143, run.exitCode(), "exit code after SIGTERM" + run.described());
      assertStoppedWithin(run, 5_000);
      assertEveryTaskStopped(emulator, run, 300, key);
    }
  }

  @Test
  void sigintStopsEveryTask() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = emulator(key, Duration.ofMillis(500))) {
      Run run =
          run(emulator, app(emulator, key, report).tasks(40).timeout("5s"), report, "INT", null);

      assertEquals(130, run.exitCode(), "exit code after SIGINT" + run.described());
      assertStoppedWithin(run, 5_000);
      assertEveryTaskStopped(emulator, run, 40, key);
    }
  }

  @Test
  void systemExitStopsEveryTask() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = emulator(key, Duration.ofMillis(300))) {
      Run run =
          run(
              emulator,
              app(emulator, key, report).tasks(40).timeout("5s").then("exit"),
              report,
              null,
              null);

      assertEquals(0, run.exitCode(), "exit code after System.exit(0)" + run.described());
      assertStoppedWithin(run, 5_000);
      assertEveryTaskStopped(emulator, run, 40, key);
    }
  }

  @Test
  void systemExitFromSeveralThreadsAtOnceStopsEveryTaskOnce() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = emulator(key, Duration.ofMillis(300))) {
      Run run =
          run(
              emulator,
              app(emulator, key, report).tasks(40).timeout("5s").then("exit-threads"),
              report,
              null,
              null);

      assertEquals(0, run.exitCode(), "exit code after System.exit(0)" + run.described());
      assertStoppedWithin(run, 5_000);
      assertEveryTaskStopped(emulator, run, 40, key);
      for (TaskView task : emulator.tasks()) {
        assertEquals(1, task.successfulStops(), "task " + task.id() + " stopped more than once");
      }
    }
  }

  @Test
  void tasksRegisteredThroughAChildFirstCopyOfTheApiAreStopped() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = emulator(key, Duration.ofMillis(300))) {
      // The application's class path has no api: the only system-class-loader copy is the agent
      // jar's, and the app registers through its own copy loaded child-first from the api jar.
      AgentJvm app =
          app(emulator, key, report)
              .tasks(30)
              .timeout("5s")
              .classpath(AgentJvm.appOnlyClasspath())
              .registerVia("child-first:" + AgentJvm.apiJar());
      Run run = run(emulator, app, report, "TERM", null);

      assertEquals(143, run.exitCode(), "exit code after SIGTERM" + run.described());
      assertStoppedWithin(run, 5_000);
      assertEveryTaskStopped(emulator, run, 30, key);
    }
  }

  @Test
  void aServerThatNeverAnswersCannotHoldTheJvmPastTheDeadline() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = emulator(key, Duration.ofMillis(100))) {
      Run run =
          run(
              emulator,
              app(emulator, key, report).tasks(20).timeout("2s"),
              report,
              "TERM",
              () -> emulator.faults(Faults.builder().hangRate(1.0).build()));

      assertEquals(143, run.exitCode(), "exit code after SIGTERM" + run.described());
      assertTrue(
          run.exitMs() <= 2_000 + MARGIN_MS,
          "SIGTERM to exit took "
              + run.exitMs()
              + " ms; deadline 2000 ms + "
              + MARGIN_MS
              + run.described());
      assertNoKeyLeak(run, key);
      assertSummaryLine(run);
      AgentReport r = requireReport(run);
      assertEquals(2_000, r.deadlineMs());
      assertEquals(idsOf(emulator), idsOf(r), "one report entry per registered task");
      for (AgentReport.Entry entry : r.tasks()) {
        assertEquals("TIMED_OUT", entry.outcome(), "entry " + entry);
      }
      assertEquals(20, r.count("TIMED_OUT"), "counts " + r.counts());
      for (TaskView task : emulator.tasks()) {
        assertFalse("stopped".equals(task.status()), "no stop can have been answered: " + task);
      }
    }
  }

  @Test
  void withoutTheAgentTheTasksOutliveTheJvm() throws Exception {
    // The control: proves the other tests' stopped tasks are the agent's doing.
    String key = AgentJvm.randomKey();
    try (Emulator emulator = emulator(key, Duration.ofMillis(100))) {
      Run run =
          run(emulator, app(emulator, key, null).withoutAgent().tasks(10), null, "TERM", null);

      assertEquals(143, run.exitCode(), "exit code after SIGTERM" + run.described());
      assertNoKeyLeak(run, key);
      assertEquals(10, emulator.tasks().size());
      for (TaskView task : emulator.tasks()) {
        assertEquals(0, task.stopCalls(), "nothing should have tried to stop " + task);
        assertFalse(task.isDone(), "task should still run: " + task);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertStoppedWithin(Run run, long deadlineMs) {
    assertTrue(
        run.exitMs() <= deadlineMs + MARGIN_MS,
        "stop to exit took "
            + run.exitMs()
            + " ms; deadline "
            + deadlineMs
            + " ms + "
            + MARGIN_MS
            + " ms margin"
            + run.described());
  }

  /** The emulator saw every task stopped; the report has one STOPPED entry per task and agrees. */
  private static void assertEveryTaskStopped(Emulator emulator, Run run, int tasks, String key) {
    assertNoKeyLeak(run, key);
    assertEquals(tasks, run.registered(), "READY count");
    List<TaskView> views = emulator.tasks();
    assertEquals(tasks, views.size(), "tasks on the emulator");
    Map<String, Long> notStopped =
        views.stream()
            .filter(v -> !v.status().equals("stopped"))
            .collect(Collectors.groupingBy(TaskView::status, Collectors.counting()));
    assertTrue(
        notStopped.isEmpty(), "tasks not stopped on the emulator: " + notStopped + run.described());

    assertSummaryLine(run);
    AgentReport report = requireReport(run);
    assertEquals(tasks, report.tasks().size(), "report entries" + run.described());
    assertEquals(idsOf(emulator), idsOf(report), "one report entry per registered task");
    assertEquals(tasks, report.count("STOPPED"), "report counts " + report.counts());
    assertEquals(
        tasks,
        report.counts().values().stream().mapToLong(Long::longValue).sum(),
        "report counts " + report.counts());
    assertAgrees(emulator, report);
  }

  /** Each report entry says what the emulator's record of that task says. */
  private static void assertAgrees(Emulator emulator, AgentReport report) {
    Map<String, TaskView> byId =
        emulator.tasks().stream().collect(Collectors.toMap(TaskView::id, Function.identity()));
    for (AgentReport.Entry entry : report.tasks()) {
      TaskView view = byId.get(entry.id());
      switch (entry.outcome()) {
        case "STOPPED" -> {
          assertNotNull(view, "reported STOPPED but unknown to the emulator: " + entry);
          assertEquals("stopped", view.status(), "reported STOPPED: " + entry + " vs " + view);
          assertTrue(
              view.successfulStops() >= 1,
              "reported STOPPED without a 200: " + entry + " vs " + view);
          assertTrue(entry.attempts() >= 1, "attempts: " + entry);
        }
        case "ALREADY_DONE" -> {
          assertNotNull(view, "reported ALREADY_DONE but unknown to the emulator: " + entry);
          assertTrue(view.isDone(), "reported ALREADY_DONE: " + entry + " vs " + view);
        }
        case "NOT_FOUND" -> assertNull(view, "reported NOT_FOUND but the emulator has it: " + view);
        default -> {
          // TIMED_OUT, FAILED, UNAUTHORIZED: the agent could not confirm; nothing to compare.
        }
      }
    }
  }

  private static AgentReport requireReport(Run run) {
    assertNotNull(run.report(), "no report written" + run.described());
    return run.report();
  }

  private static void assertSummaryLine(Run run) {
    assertTrue(
        run.stderr().stream().anyMatch(line -> line.startsWith("lastcall: ")),
        "no 'lastcall: ' summary line on stderr" + run.described());
  }

  static void assertNoKeyLeak(Run run, String key) {
    for (String line : run.stdout()) {
      assertFalse(line.contains(key), "the API key appeared on stdout");
    }
    for (String line : run.stderr()) {
      assertFalse(line.contains(key), "the API key appeared on stderr");
    }
    if (run.report() != null) {
      assertFalse(run.report().raw().contains(key), "the API key appeared in the report");
    }
    // Also the key's secret part alone, in case something printed it without its prefix.
    String secret = key.substring("bb_".length());
    assertFalse(
        String.join("\n", run.stdout()).contains(secret), "the key's hex appeared on stdout");
    assertFalse(
        String.join("\n", run.stderr()).contains(secret), "the key's hex appeared on stderr");
    if (run.report() != null) {
      assertFalse(run.report().raw().contains(secret), "the key's hex appeared in the report");
    }
  }

  private static Set<String> idsOf(Emulator emulator) {
    return emulator.tasks().stream().map(TaskView::id).collect(Collectors.toSet());
  }

  private static Set<String> idsOf(AgentReport report) {
    Set<String> ids = new HashSet<>();
    for (AgentReport.Entry entry : report.tasks()) {
      assertTrue(ids.add(entry.id()), "duplicate report entry for " + entry.id());
    }
    return ids;
  }
}
