package dev.lastcall.it;

import static dev.lastcall.it.Scenario.assertAgrees;
import static dev.lastcall.it.Scenario.assertEveryOutcome;
import static dev.lastcall.it.Scenario.assertExitedByDeadline;
import static dev.lastcall.it.Scenario.assertOneEntryPerId;
import static dev.lastcall.it.Scenario.assertSummaryLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.Faults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * The agent's hook among others: an application whose logging framework and own hooks shut down at
 * the same time, and a second SIGINT arriving while the hook runs.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HooksAndSignalsIT {
  @TempDir Path dir;

  @Test
  void aLoggingFrameworkAndTheAppsOwnHooksShuttingDownAlongside() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    Path logback =
        Files.writeString(
            dir.resolve("logback.xml"),
            """
            <configuration>
              <shutdownHook/>
              <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.out</target>
                <encoder><pattern>LOG %thread %msg%n</pattern></encoder>
              </appender>
              <root level="INFO"><appender-ref ref="OUT"/></root>
            </configuration>
            """);
    List<Path> classpath = new ArrayList<>(AgentJvm.defaultClasspath());
    classpath.addAll(
        ChildJvm.codeSources(
            LoggingApp.class,
            Logger.class,
            LoggerContext.class,
            ch.qos.logback.core.Appender.class));
    try (Emulator emulator =
        Scenario.emulator(key, Duration.ofMillis(100), Duration.ofMinutes(10))) {
      AgentJvm app =
          AgentJvm.sampleApp()
              .baseUrl(emulator.baseUrl())
              .apiKey(key)
              .tasks(30)
              .timeout("5s")
              .report(report)
              .classpath(classpath)
              .mainClass(LoggingApp.class.getName())
              .jvmOption("-Dlogback.configurationFile=" + logback);
      Scenario.Run run =
          Scenario.run(
              "logback and app hooks",
              app,
              report,
              "TERM",
              child -> emulator.faults(Faults.builder().latency(Duration.ofMillis(100)).build()),
              null);

      assertEquals(143, run.exitCode(), run.described());
      assertTrue(
          run.stdout().stream().anyMatch(l -> l.equals("LOG main logging app starting")),
          "precondition: the app logged through Logback" + run.described());
      // System.err belongs to a stopped logger by then; the summary must still reach stderr.
      assertSummaryLine(run);
      assertExitedByDeadline(run, 5_000);
      assertOneEntryPerId(run, Scenario.idsOf(emulator));
      assertEveryOutcome(run, Set.of("STOPPED"));
      assertAgrees(run, emulator);
    }
  }

  /**
   * A second SIGINT while the hook runs (an impatient Ctrl-C) must neither cut the cancel short nor
   * crash anything: the JVM is already shutting down, so the JDK's handler for it just waits.
   */
  @Test
  void aSecondSigintWhileTheHookRunsChangesNothing() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    long[] firstSignal = new long[1];
    long[] secondSignal = new long[1];
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10))) {
      AgentJvm app =
          AgentJvm.sampleApp()
              .baseUrl(emulator.baseUrl())
              .apiKey(key)
              .tasks(20)
              .timeout("5s")
              .report(report)
              .appArgs("--announce-shutdown");
      Scenario.Run run =
          Scenario.run(
              "SIGINT twice",
              app,
              report,
              null,
              child -> {
                Scenario.assumeSigintReaches(child);
                // Every answer 600 ms late: the hook is certainly still waiting when the second
                // signal lands.
                emulator.faults(Faults.builder().latency(Duration.ofMillis(600)).build());
                child.signal("INT");
                firstSignal[0] = child.signalledAtNanos();
                child.awaitStdoutLine("SHUTDOWN-STARTED", Duration.ofSeconds(10));
                child.signal("INT");
                secondSignal[0] = child.signalledAtNanos();
              },
              null);

      assertEquals(130, run.exitCode(), run.described());
      long secondAfterMs = (secondSignal[0] - firstSignal[0]) / 1_000_000;
      AgentReport r = run.requireReport();
      assertTrue(
          r.durationMs() > secondAfterMs,
          "the second SIGINT ("
              + secondAfterMs
              + " ms after the first) should land while the hook runs ("
              + r.durationMs()
              + " ms)");
      long exitMs = run.signalToExitMs() + secondAfterMs; // run counts from the last signal
      assertTrue(
          exitMs <= 5_000 + Scenario.EXIT_MARGIN_MS, "first SIGINT to exit: " + exitMs + " ms");
      assertSummaryLine(run);
      assertOneEntryPerId(run, Scenario.idsOf(emulator));
      assertEveryOutcome(run, Set.of("STOPPED"));
      assertAgrees(run, emulator);
      assertTrue(
          run.stderr().stream().noneMatch(l -> l.contains("Exception") || l.contains("#  ")),
          "something crashed" + run.described());
    }
  }
}
