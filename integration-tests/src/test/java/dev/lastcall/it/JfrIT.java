package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.TaskView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's JFR events in real JVMs: a {@code dumponexit} recording started with {@code
 * -XX:StartFlightRecording}, a real SIGTERM, and the file JFR wrote read back with {@link
 * RecordingFile}, compared with the emulator's record of every task and with the agent's report.
 * JFR dumps that recording from a shutdown hook of its own, which would race the agent's: these
 * runs prove the events are in it anyway (see ARCHITECTURE, "JFR events"). On the JDK running the
 * tests and on the newest JDK under /usr/lib/jvm.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JfrIT {
  private static final int TASKS = 50;

  @TempDir Path dir;

  static Stream<String> javas() throws Exception {
    List<String> javas = new ArrayList<>();
    javas.add(ChildJvm.currentJava());
    Optional<Path> newer = NetworkFaultsIT.newerJdk();
    newer.ifPresent(jdk -> javas.add(jdk.resolve("bin/java").toString()));
    return javas.stream().distinct();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javas")
  void aSigtermShutdownOf50TasksIsInTheDumpOnExitRecording(String java) throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    Path recording = dir.resolve("rec.jfr");
    try (Emulator emulator =
        Scenario.emulator(key, Duration.ofMillis(200), Duration.ofMinutes(10))) {
      AgentJvm app =
          AgentJvm.sampleApp()
              .java(java)
              .jvmOption("-XX:StartFlightRecording=filename=" + recording + ",dumponexit=true")
              .baseUrl(emulator.baseUrl())
              .talksTo(emulator, dir)
              .apiKey(key)
              .report(report)
              .tasks(TASKS)
              .timeout("10s");
      Scenario.Run run =
          Scenario.run(
              "SIGTERM, " + TASKS + " tasks, dumponexit recording, " + java,
              app,
              report,
              "TERM",
              child -> awaitWarmRequest(emulator),
              null);
      assertEquals(143, run.exitCode(), "exit code after SIGTERM" + run.described());
      AgentReport agentReport = run.requireReport();
      assertEquals(TASKS, agentReport.tasks().size(), run.described());
      assertTrue(Files.isRegularFile(recording), "JFR wrote no recording" + run.described());

      List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
      List<RecordedEvent> shutdowns = named(events, "dev.lastcall.Shutdown");
      List<RecordedEvent> cancels = named(events, "dev.lastcall.TaskCancel");
      assertEquals(1, shutdowns.size(), "Shutdown events in the recording" + run.described());
      assertEquals(TASKS, cancels.size(), "TaskCancel events in the recording" + run.described());

      RecordedEvent shutdown = shutdowns.get(0);
      assertEquals(TASKS, shutdown.getInt("tasks"));
      assertEquals(agentReport.count("STOPPED"), shutdown.getInt("stopped"));
      assertEquals(agentReport.count("ALREADY_DONE"), shutdown.getInt("alreadyDone"));
      assertEquals(agentReport.count("TIMED_OUT"), shutdown.getInt("timedOut"));
      assertEquals(agentReport.count("FAILED"), shutdown.getInt("failed"));
      assertEquals(agentReport.deadlineMs(), shutdown.getDuration("deadline").toMillis());
      assertEquals(agentReport.durationMs(), shutdown.getDuration("cancelDuration").toMillis());

      Map<String, String> outcomeById = new HashMap<>();
      for (RecordedEvent cancel : cancels) {
        String id = cancel.getString("taskId");
        String outcome = cancel.getString("outcome");
        assertEquals(null, outcomeById.put(id, outcome), "two TaskCancel events for " + id);
        TaskView task =
            emulator.task(id).orElseThrow(() -> new AssertionError("unknown task " + id));
        assertEquals(
            outcome.equals("STOPPED"),
            task.status().equals("stopped"),
            id + ": event says " + outcome + ", the emulator " + task.status());
        assertTrue(cancel.getInt("attempts") >= 1, id + ": attempts " + cancel.getInt("attempts"));
      }
      assertEquals(Scenario.idsOf(emulator), outcomeById.keySet(), "one event per task created");
      for (AgentReport.Entry entry : agentReport.tasks()) {
        assertEquals(entry.outcome(), outcomeById.get(entry.id()), "event vs report: " + entry);
      }
      assertEquals(
          shutdown.getInt("stopped"),
          outcomeById.values().stream().filter("STOPPED"::equals).count());
      assertNoKeyInAnyField(key, events);
    }
  }

  /**
   * Waits for the agent's warm request (the first registration's one status read): the agent
   * watches for a recorder before it builds its client, so once that request has come the events
   * are registered and JFR's hook is chained. 50 creates, then that request.
   */
  static void awaitWarmRequest(Emulator emulator) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (emulator.requestCount() <= TASKS) {
      if (System.nanoTime() > end) {
        fail("the agent's warm request never came: " + emulator.requestCount() + " requests");
      }
      LockSupport.parkNanos(5_000_000L);
    }
  }

  static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
    return events.stream()
        .filter(e -> e.getEventType().getName().equals(name))
        .collect(Collectors.toList());
  }

  /** Every field of every Lastcall event, and each event's rendering, is free of the key. */
  static void assertNoKeyInAnyField(String key, List<RecordedEvent> events) {
    List<RecordedEvent> ours =
        events.stream()
            .filter(e -> e.getEventType().getName().startsWith("dev.lastcall."))
            .collect(Collectors.toList());
    assertFalse(ours.isEmpty(), "no Lastcall events to check");
    for (RecordedEvent event : ours) {
      event
          .getFields()
          .forEach(
              field -> {
                Object value = event.getValue(field.getName());
                if (value != null) {
                  assertFalse(
                      SecretScan.findWindow(key, String.valueOf(value)) >= 0,
                      event.getEventType().getName()
                          + "."
                          + field.getName()
                          + " holds the API key");
                }
              });
      SecretScan.trackText(key, event.getEventType().getName(), event.toString());
    }
  }
}
