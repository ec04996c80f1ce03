package dev.lastcall.it;

import static dev.lastcall.it.Scenario.assertAgrees;
import static dev.lastcall.it.Scenario.assertEveryOutcome;
import static dev.lastcall.it.Scenario.assertExitedByDeadline;
import static dev.lastcall.it.Scenario.assertOneEntryPerId;
import static dev.lastcall.it.Scenario.assertSummaryLine;
import static dev.lastcall.it.Scenario.idsOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.Faults;
import dev.lastcall.emulator.TaskView;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real JVMs under the agent, real signals, real HTTP to an in-process emulator, each run through
 * {@link Scenario}. Every test asserts what the emulator saw and what the report says, never log
 * wording; the JVMs run one after another. The API key is checked by {@link SecretScan}. Every run
 * with the agent goes over both transports, plain HTTP/1.1 and HTTPS+HTTP/2 ({@link Scenario}); the
 * control without the agent over plain only.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ShutdownIT {
  private static final String DEADLINE = "5s";
  private static final long DEADLINE_MS = 5_000;

  @TempDir Path dir;

  /** Nothing finishes by itself during a test: every stopped task is the agent's doing. */
  private static Emulator emulator(Transport transport, String key, Duration pendingFor)
      throws IOException {
    return Scenario.emulator(transport, key, pendingFor, Duration.ofMinutes(10));
  }

  private AgentJvm app(Emulator emulator, String key, Path report) throws IOException {
    return AgentJvm.sampleApp()
        .baseUrl(emulator.baseUrl())
        .talksTo(emulator, dir)
        .apiKey(key)
        .report(report);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void sigtermWith300TasksManyStillPendingStopsEveryOneWithinTheDeadline(Transport transport)
      throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    // Over h2 the signal waits for the agent's warm connection (up to 10 s, seconds on a busy
    // machine): the tasks stay pending longer there, so that many still are at the signal.
    Duration pendingFor = Duration.ofSeconds(transport == Transport.HTTPS_H2 ? 3 : 1);
    try (Emulator emulator = emulator(transport, key, pendingFor)) {
      AtomicReference<Map<String, Long>> countsAtSignal = new AtomicReference<>();
      Scenario.Run run =
          Scenario.run(
              "SIGTERM, 300 tasks, " + transport,
              app(emulator, key, report).tasks(300).timeout(DEADLINE),
              report,
              "TERM",
              child -> {
                Scenario.assumeWarmH2Connection(transport, emulator);
                countsAtSignal.set(emulator.countsByStatus());
              },
              null);

      assertTrue(
          countsAtSignal.get().getOrDefault("pending", 0L) > 0,
          "precondition: some tasks should still be pending at the signal: " + countsAtSignal);
      assertEquals(143, run.exitCode(), "exit code after SIGTERM" + run.described());
      assertEveryTaskStopped(emulator, run, 300);
      Scenario.assertTransport(run, transport, emulator);
      Scenario.assertSharedH2Connections(run, transport, emulator, 3);
    }
  }

  /** One way for the JVM to stop, with what it registered and how it should exit. */
  record Stop(
      String name,
      int tasks,
      Duration pendingFor,
      String signal,
      UnaryOperator<AgentJvm> app,
      int exitCode,
      boolean eachStoppedOnce) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Stop> stops() {
    return Stream.of(
        new Stop("SIGINT", 40, Duration.ofMillis(500), "INT", app -> app, 130, false),
        new Stop(
            "System.exit(0)", 40, Duration.ofMillis(300), null, app -> app.then("exit"), 0, false),
        new Stop(
            "System.exit(0) from several threads at once",
            40,
            Duration.ofMillis(300),
            null,
            app -> app.then("exit-threads"),
            0,
            true),
        // The application's class path has no api: the only system-class-loader copy is the agent
        // jar's, and the app registers through its own copy loaded child-first from the api jar.
        new Stop(
            "SIGTERM, tasks registered through a child-first copy of the api",
            30,
            Duration.ofMillis(300),
            "TERM",
            app ->
                app.classpath(AgentJvm.appOnlyClasspath())
                    .registerVia("child-first:" + AgentJvm.apiJar()),
            143,
            false));
  }

  /** Each way of stopping over each transport. */
  static Stream<Arguments> stopsOverEachTransport() {
    return stops()
        .flatMap(
            stop -> Stream.of(Transport.values()).map(transport -> Arguments.of(stop, transport)));
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("stopsOverEachTransport")
  void everyWayOfStoppingStopsEveryTask(Stop stop, Transport transport) throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = emulator(transport, key, stop.pendingFor())) {
      AgentJvm app =
          stop.app().apply(app(emulator, key, report).tasks(stop.tasks()).timeout(DEADLINE));
      Scenario.Run run =
          Scenario.run(stop.name() + ", " + transport, app, report, stop.signal(), null, null);

      assertEquals(stop.exitCode(), run.exitCode(), "exit code" + run.described());
      assertEveryTaskStopped(emulator, run, stop.tasks());
      if (stop.eachStoppedOnce()) {
        for (TaskView task : emulator.tasks()) {
          assertEquals(1, task.successfulStops(), "task " + task.id() + " stopped more than once");
        }
      }
      Scenario.assertTransport(run, transport, emulator);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void aServerThatNeverAnswersCannotHoldTheJvmPastTheDeadline(Transport transport)
      throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = emulator(transport, key, Duration.ofMillis(100))) {
      Scenario.Run run =
          Scenario.run(
              "a server that never answers, " + transport,
              app(emulator, key, report).tasks(20).timeout("2s"),
              report,
              "TERM",
              child -> {
                // Over h2, as in production: the connection is up, then the server stops answering.
                Scenario.assumeWarmH2Connection(transport, emulator);
                emulator.faults(Faults.builder().hangRate(1.0).build());
              },
              null);

      assertEquals(143, run.exitCode(), "exit code after SIGTERM" + run.described());
      assertExitedByDeadline(run, 2_000);
      assertSummaryLine(run);
      assertEquals(2_000, run.requireReport().deadlineMs());
      assertOneEntryPerId(run, idsOf(emulator));
      assertEveryOutcome(run, Set.of("TIMED_OUT"));
      assertEquals(
          20, run.requireReport().count("TIMED_OUT"), "counts " + run.requireReport().counts());
      for (TaskView task : emulator.tasks()) {
        assertFalse("stopped".equals(task.status()), "no stop can have been answered: " + task);
      }
      Scenario.assertTransport(run, transport, emulator);
    }
  }

  @Test
  void withoutTheAgentTheTasksOutliveTheJvm() throws Exception {
    // The control: proves the other tests' stopped tasks are the agent's doing.
    String key = AgentJvm.randomKey();
    try (Emulator emulator = emulator(Transport.PLAIN, key, Duration.ofMillis(100))) {
      Scenario.Run run =
          Scenario.run(
              "without the agent",
              app(emulator, key, null).withoutAgent().tasks(10),
              null,
              "TERM",
              null,
              null);

      assertEquals(143, run.exitCode(), "exit code after SIGTERM" + run.described());
      assertEquals(10, emulator.tasks().size());
      for (TaskView task : emulator.tasks()) {
        assertEquals(0, task.stopCalls(), "nothing should have tried to stop " + task);
        assertFalse(task.isDone(), "task should still run: " + task);
      }
    }
  }

  /**
   * Within the deadline, the emulator saw every task stopped, and the report has one STOPPED entry
   * per task and agrees with the emulator.
   */
  private static void assertEveryTaskStopped(Emulator emulator, Scenario.Run run, int tasks) {
    assertExitedByDeadline(run, DEADLINE_MS);
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
    AgentReport report = run.requireReport();
    assertEquals(tasks, report.tasks().size(), "report entries" + run.described());
    assertOneEntryPerId(run, idsOf(emulator));
    assertEquals(tasks, report.count("STOPPED"), "report counts " + report.counts());
    assertAgrees(run, emulator);
  }
}
