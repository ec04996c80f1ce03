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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "Nothing lost" where the registry and the life cycle race the shutdown: registrations made while
 * the hook runs, tasks still {@code pending} at the signal, and tasks that finish by themselves
 * between the snapshot and the stop.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RegistrationRaceIT {
  @TempDir Path dir;

  /**
   * Four threads keep creating and registering tasks through the signal, each appending its id to a
   * file right after {@code register()} returns, and each registers five more once the app's own
   * hook has seen shutdown begin. Every id in the file must be in the report.
   *
   * <p>The emulator answers every request 150 ms late from READY on. That keeps the registrations
   * and the cancel overlapping without any sleep: the last racing registration is answered to the
   * app at least 150 ms before the agent can have settled its stop, so the agent's final look at
   * the registry comes after it. (A registration made after the agent's report is written, in the
   * instant before halt, is the one case the api documents as unseen; this test does not reach for
   * it.)
   */
  @Test
  void registrationsRacingTheSignalAreAllAccountedFor() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    Path raced = dir.resolve("raced.txt");
    long deadlineMs = 10_000; // the default: completeness is the point here, not the clock
    try (Emulator emulator =
        Scenario.emulator(key, Duration.ofMillis(100), Duration.ofMinutes(10))) {
      AgentJvm app =
          AgentJvm.sampleApp()
              .baseUrl(emulator.baseUrl())
              .apiKey(key)
              .tasks(10)
              .timeout(deadlineMs + "ms")
              .report(report)
              .appArgs(
                  "--race-file",
                  raced.toString(),
                  "--race-threads",
                  "4",
                  "--race-after-shutdown",
                  "5");
      Scenario.Run run =
          Scenario.run(
              "registrations racing the signal",
              app,
              report,
              "TERM",
              child -> {
                emulator.faults(Faults.builder().latency(Duration.ofMillis(150)).build());
                awaitLines(raced, 8, Duration.ofSeconds(30)); // racing for real before the signal
              },
              null);

      assertEquals(143, run.exitCode(), run.described());
      assertExitedByDeadline(run, deadlineMs);
      assertSummaryLine(run);
      List<String> racedIds = completeLines(raced);
      assertTrue(racedIds.size() >= 8 + 4 * 5, "racing registrations: " + racedIds.size());
      Set<String> reported = new HashSet<>();
      run.requireReport().tasks().forEach(e -> reported.add(e.id()));
      List<String> lost = racedIds.stream().filter(id -> !reported.contains(id)).toList();
      assertTrue(
          lost.isEmpty(),
          lost.size()
              + " ids registered (register() returned) but not in the"
              + " report: "
              + lost);
      // Every task the emulator has was registered (the app registers each at once), so the report
      // must name each exactly once, and agree with it.
      assertOneEntryPerId(run, Scenario.idsOf(emulator));
      assertAgrees(run, emulator);
      assertEveryOutcome(run, Set.of("STOPPED", "TIMED_OUT"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void tasksStillPendingAtTheSignalAreStoppedOnceTheyStart(Transport transport) throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    // Pending for 3 s: long enough that the first stop of every task meets a pending task even on
    // a busy machine, short enough for the 10 s deadline to see them all start.
    try (Emulator emulator =
        Scenario.emulator(transport, key, Duration.ofMillis(3_000), Duration.ofMinutes(10))) {
      AgentJvm app =
          AgentJvm.sampleApp()
              .baseUrl(emulator.baseUrl())
              .talksTo(emulator, dir)
              .apiKey(key)
              .tasks(20)
              .timeout("10s")
              .report(report);
      List<Map<String, Long>> atSignal = new ArrayList<>();
      Scenario.Run run =
          Scenario.run(
              "pending at the signal, " + transport,
              app,
              report,
              "TERM",
              child -> atSignal.add(emulator.countsByStatus()),
              null);
      assertTrue(
          atSignal.get(0).getOrDefault("pending", 0L) > 0, "precondition: pending " + atSignal);
      assertExitedByDeadline(run, 10_000);
      assertOneEntryPerId(run, Scenario.idsOf(emulator));
      assertEveryOutcome(run, Set.of("STOPPED"));
      assertAgrees(run, emulator);
      for (TaskView task : emulator.tasks()) {
        assertTrue(
            task.stopCalls() >= 2,
            "a pending task answers 400 first, so a second stop is needed: " + task);
      }
      Scenario.assertTransport(run, transport, emulator);
    }
  }

  @Test
  void tasksThatStayPendingPastTheDeadlineAreReportedTimedOutAndLeftAlone() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator =
        Scenario.emulator(key, Duration.ofMinutes(10), Duration.ofMinutes(10))) {
      AgentJvm app =
          AgentJvm.sampleApp()
              .baseUrl(emulator.baseUrl())
              .apiKey(key)
              .tasks(10)
              .timeout("2s")
              .report(report);
      Scenario.Run run = Scenario.run("pending past the deadline", app, report, "TERM", null, null);
      assertExitedByDeadline(run, 2_000);
      assertOneEntryPerId(run, Scenario.idsOf(emulator));
      assertEveryOutcome(run, Set.of("TIMED_OUT"));
      assertAgrees(run, emulator);
      long stopCalls = 0;
      for (TaskView task : emulator.tasks()) {
        assertEquals("pending", task.status(), task.toString());
        assertTrue(task.stopCalls() >= 1, "never tried: " + task);
        stopCalls += task.stopCalls();
      }
      // A 400 is not proof of anything: the agent checks the status and stops again.
      assertTrue(
          stopCalls > 10,
          "the agent should keep trying until the deadline: " + stopCalls + " stops");
      for (AgentReport.Entry entry : run.requireReport().tasks()) {
        assertTrue(entry.attempts() >= 2, "a 400 must be followed by a status check: " + entry);
      }
    }
  }

  /**
   * Some tasks are finished before the signal (forced completed, error, timeout); the rest finish
   * by themselves around it. The app creates them one at a time with 40 ms of latency each, so
   * their 1.2 s of processing ends at staggered moments over more than a second; the signal goes as
   * the first ones finish, so some end between the agent's snapshot and its stop and the last ones
   * are still running. Whatever each one's fate, the report must say what the emulator says.
   */
  @Test
  void tasksThatFinishByThemselvesAroundTheSignalAreAlreadyDone() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator =
        Emulator.builder()
            .apiKey(key)
            .pendingFor(Duration.ZERO)
            .processingFor(Duration.ofMillis(1_200))
            .savingFor(Duration.ofMillis(50))
            .faults(Faults.builder().latency(Duration.ofMillis(40)).build())
            .start()) {
      AgentJvm app =
          AgentJvm.sampleApp()
              .baseUrl(emulator.baseUrl())
              .apiKey(key)
              .tasks(30)
              .timeout("5s")
              .report(report)
              .appArgs("--threads", "1");
      List<String> forced = new ArrayList<>();
      Scenario.Run run =
          Scenario.run(
              "finished around the signal",
              app,
              report,
              "TERM",
              child -> {
                List<TaskView> tasks = emulator.tasks();
                String[] ends = {"completed", "completed", "completed", "error", "timeout"};
                for (int i = 0; i < ends.length; i++) {
                  emulator.forceStatus(tasks.get(i).id(), ends[i]);
                  forced.add(tasks.get(i).id());
                }
                // Signal as the first ones finish by themselves: wait on the emulator's state, not
                // a clock.
                Scenario.await(
                    "a task to finish by itself",
                    Duration.ofSeconds(30),
                    () -> {
                      Map<String, Long> counts = emulator.countsByStatus();
                      return counts.getOrDefault("completed", 0L)
                          > 3; // 3 forced, and one by itself
                    });
              },
              null);
      assertExitedByDeadline(run, 5_000);
      assertOneEntryPerId(run, Scenario.idsOf(emulator));
      assertAgrees(run, emulator);
      assertEveryOutcome(run, Set.of("STOPPED", "ALREADY_DONE"));
      for (AgentReport.Entry entry : run.requireReport().tasks()) {
        if (forced.contains(entry.id())) {
          assertEquals("ALREADY_DONE", entry.outcome(), entry.toString());
        }
      }
      AgentReport r = run.requireReport();
      assertTrue(
          r.count("ALREADY_DONE") > forced.size(),
          "some should have finished by themselves: " + r.counts());
      assertTrue(
          r.count("STOPPED") > 0,
          "the last ones created should still have been running: " + r.counts());
      OutputOnFailure.note(
          "[fault] finished around the signal: %s emulator %s",
          r.counts(), emulator.countsByStatus());
    }
  }

  /** Waits until {@code file} holds at least {@code n} complete lines. */
  static void awaitLines(Path file, int n, Duration timeout) throws Exception {
    Scenario.await(n + " lines in " + file, timeout, () -> completeLines(file).size() >= n);
  }

  /** The lines of {@code file} that end with a newline (a line cut by the halt is not whole). */
  static List<String> completeLines(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    int last = text.lastIndexOf('\n');
    if (last < 0) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    for (String line : text.substring(0, last).split("\n")) {
      if (!line.isBlank()) {
        lines.add(line.trim());
      }
    }
    return lines;
  }
}
