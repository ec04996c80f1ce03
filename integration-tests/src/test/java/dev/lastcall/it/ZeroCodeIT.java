package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.Emulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An application with no Lastcall code and no api on its class path ({@link ZeroCodeApp}) creates
 * its tasks with the JDK's {@code HttpClient} in the first milliseconds of {@code main}; the
 * agent's tracking finds them, and SIGTERM stops every one. Asserted on the emulator and in the
 * report.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ZeroCodeIT {
  private static final int TASKS = 3;

  @TempDir Path dir;

  private AgentJvm app(Emulator emulator, String key, Path report, String client) {
    return AgentJvm.sampleApp()
        .mainClass(ZeroCodeApp.class.getName())
        .classpath(ChildJvm.codeSources(ZeroCodeApp.class))
        .baseUrl(emulator.baseUrl())
        .apiKey(key)
        .timeout("5s")
        .report(report)
        .tasks(TASKS)
        .appArgs("--client", client);
  }

  private static Set<String> created(ChildJvm child) {
    return child.stdout().stream()
        .filter(line -> line.startsWith("CREATED "))
        .map(line -> line.substring("CREATED ".length()))
        .collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"send-string", "async-bytes", "send-stream"})
  void everyTaskTheAppCreatesIsStoppedAtSigterm(String client) throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        ChildJvm child = app(emulator, key, report, client).start()) {
      assertEquals(TASKS, child.awaitReady(Scenario.READY_TIMEOUT), child.describe());
      Set<String> ids = created(child);
      assertEquals(TASKS, ids.size(), child.describe());

      child.signal("TERM");
      child.awaitExit(Duration.ofSeconds(60));

      for (String id : ids) {
        assertEquals("stopped", emulator.task(id).orElseThrow().status(), child.describe());
      }
      AgentReport parsed = AgentReport.read(report);
      assertEquals(
          ids,
          parsed.tasks().stream().map(AgentReport.Entry::id).collect(Collectors.toSet()),
          parsed.raw());
    }
  }

  @Test
  void aTaskTheAppStoppedItselfIsNoLongerTracked() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        ChildJvm child =
            app(emulator, key, report, "send-string").appArgs("--stop-first", "true").start()) {
      child.awaitReady(Scenario.READY_TIMEOUT);
      assertTrue(child.stdout().contains("STOPPED 200"), child.describe());
      Set<String> ids = created(child);

      child.signal("TERM");
      child.awaitExit(Duration.ofSeconds(60));

      AgentReport parsed = AgentReport.read(report);
      assertEquals(TASKS - 1, parsed.tasks().size(), parsed.raw());
      for (String id : ids) {
        assertEquals("stopped", emulator.task(id).orElseThrow().status());
      }
      // The app's own stop and the agent's of the two others: nobody stopped a task twice.
      assertEquals(Map.of("stopped", (long) TASKS), emulator.countsByStatus());
      assertEquals(TASKS, ids.stream().mapToLong(id -> stopCalls(emulator, id)).sum());
    }
  }

  @Test
  void trackOffInstallsNothingAndTheTasksRunOn() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        ChildJvm child = app(emulator, key, report, "send-string").agentArg("track=off").start()) {
      child.awaitReady(Scenario.READY_TIMEOUT);
      Set<String> ids = created(child);

      child.signal("TERM");
      child.awaitExit(Duration.ofSeconds(60));

      for (String id : ids) {
        assertEquals("processing", emulator.task(id).orElseThrow().status());
      }
      assertEquals(List.of(), AgentReport.read(report).tasks());
    }
  }

  private static long stopCalls(Emulator emulator, String id) {
    return emulator.task(id).orElseThrow().stopCalls();
  }
}
