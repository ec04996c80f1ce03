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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 10,000 registered tasks and 50 ms of server latency on every request: every one stopped within
 * the deadline, the JVM out by it. The tasks are created in-process and handed to the app as a
 * file, so the app only registers them; the latency starts after READY. Over both transports
 * ({@link Scenario}): over plain HTTP/1.1 the cancel is bounded by the pool of sockets (256 in
 * flight), and the default 10 s deadline holds; over h2 by the streams one shared connection
 * carries (100 in flight, so at least 5 s of pure latency for 10,000 stops), which on 2 busy cores
 * takes 8-11 s: that run gets a 30 s deadline, and the gap is a known miss of issue 9 (more
 * connections, each gated like the first, would close it).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoadIT {
  private static final int TASKS = 10_000;
  private static final long DEFAULT_DEADLINE_MS = 10_000;
  private static final long H2_DEADLINE_MS = 30_000;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void tenThousandTasksAt50msLatencyAreAllStoppedWithinTheDeadline(Transport transport)
      throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator =
        Scenario.emulator(transport, key, Duration.ZERO, Duration.ofMinutes(10))) {
      List<String> ids = new ArrayList<>(TASKS);
      for (int i = 0; i < TASKS; i++) {
        ids.add(emulator.createTask(key, "load task " + i));
      }
      Path idsFile = Files.write(dir.resolve("ids.txt"), ids);
      Path report = dir.resolve("report.json");
      AgentJvm app =
          AgentJvm.sampleApp()
              .agentBaseUrl(emulator.baseUrl())
              .talksTo(emulator, dir)
              .apiKey(key)
              .idsFile(idsFile)
              .timeout(transport == Transport.PLAIN ? null : H2_DEADLINE_MS / 1000 + "s")
              .report(report); // plain: the default deadline
      Scenario.Run run =
          Scenario.run(
              "10,000 tasks, 50 ms latency, " + transport,
              app,
              report,
              "TERM",
              child -> {
                Scenario.assumeWarmH2Connection(transport, emulator);
                emulator.faults(Faults.builder().latency(Duration.ofMillis(50)).build());
              },
              null);

      assertEquals(143, run.exitCode(), run.described());
      assertEquals(TASKS, run.registered());
      long deadlineMs = transport == Transport.PLAIN ? DEFAULT_DEADLINE_MS : H2_DEADLINE_MS;
      assertEquals(deadlineMs, run.requireReport().deadlineMs());
      assertExitedByDeadline(run, deadlineMs);
      assertSummaryLine(run);
      Set<String> registered = new HashSet<>(ids);
      assertOneEntryPerId(run, registered);
      assertEveryOutcome(run, Set.of("STOPPED"));
      assertAgrees(run, emulator);
      assertEquals(
          TASKS,
          emulator.countsByStatus().getOrDefault("stopped", 0L),
          emulator.countsByStatus().toString());
      assertTrue(emulator.requestCount() >= TASKS, "requests " + emulator.requestCount());
      Scenario.assertTransport(run, transport, emulator);
      Scenario.assertSharedH2Connections(run, transport, emulator, 3);
    }
  }
}
