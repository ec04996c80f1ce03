package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.TaskView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration key given a wrong value, from each of the three sources: the application runs
 * to completion unharmed (READY, its own exit code), and stderr has exactly one {@code lastcall: }
 * line per bad value, naming the key and the value. The wording itself is ConfigLoaderTest's
 * business; here it is the count, the naming and the app's fate.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BadInputIT {
  private static final int TASKS = 5;

  @TempDir Path dir;

  /** A bad value: the line about it must contain every one of {@code needles}. */
  record Bad(String... needles) {
    boolean namedBy(String line) {
      for (String needle : needles) {
        if (!line.contains(needle)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return List.of(needles).toString();
    }
  }

  /**
   * Runs the app (creating {@link #TASKS} tasks, then {@code System.exit(0)}) with {@code setup}
   * applied, and checks the lines. Returns the run; {@code summary} says whether the agent prints a
   * line at shutdown: its summary, or, disabled by a refused value, the tasks it leaves running.
   */
  private Scenario.Run run(
      String name,
      Emulator emulator,
      String key,
      UnaryOperator<AgentJvm> setup,
      boolean summary,
      Bad... bad)
      throws Exception {
    AgentJvm app =
        setup.apply(
            AgentJvm.sampleApp()
                .baseUrl(emulator.baseUrl())
                .apiKey(key)
                .tasks(TASKS)
                .timeout(null)
                .then("exit"));
    Scenario.Run run = Scenario.run(name, app, null, null, null, null);
    assertEquals(
        0,
        run.exitCode(),
        name + ": the app should end by its own System.exit(0)" + run.described());
    assertEquals(TASKS, run.registered(), name);
    List<String> lines = run.stderr().stream().filter(l -> l.startsWith("lastcall: ")).toList();
    // The line at shutdown is not about a value, though a disabled agent's repeats why.
    List<String> aboutValues =
        summary ? lines.stream().filter(l -> !l.contains(" at shutdown")).toList() : lines;
    List<String> unexplained = new ArrayList<>(aboutValues);
    for (Bad b : bad) {
      List<String> naming = aboutValues.stream().filter(b::namedBy).toList();
      assertEquals(
          1, naming.size(), name + ": lines naming " + b + ": " + naming + run.described());
      unexplained.removeAll(naming);
    }
    assertTrue(
        unexplained.isEmpty(),
        name + ": more lastcall lines than bad values: " + unexplained + run.described());
    assertEquals(bad.length + (summary ? 1 : 0), lines.size(), name + ": " + lines);
    assertTrue(
        run.stderr().stream().noneMatch(l -> l.contains("Exception in thread")), run.described());
    return run;
  }

  private static long stopped(Emulator emulator) {
    return emulator.tasks().stream().filter(t -> t.status().equals("stopped")).count();
  }

  @Test
  void wrongValuesAsAgentArguments() throws Exception {
    String key = AgentJvm.randomKey();
    Path reportDir = Files.createDirectories(dir.resolve("report-is-a-directory"));
    Path journalFile = Files.writeString(dir.resolve("journal-is-a-file"), "x");
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10))) {
      run(
          "agent arguments",
          emulator,
          key,
          app ->
              app.agentArg("timeout=soon")
                  .agentArg("concurrency=zero")
                  .agentArg("enabled=maybe")
                  .agentArg("allowInsecure=perhaps")
                  .agentArg("report=" + reportDir)
                  .agentArg("journal=" + journalFile)
                  .agentArg("maxRuntime=forever")
                  .agentArg("colour=blue")
                  .agentArg("justaword"),
          true,
          new Bad("timeout", "\"soon\""),
          new Bad("concurrency", "\"zero\""),
          new Bad("enabled", "\"maybe\""),
          new Bad("allowInsecure", "\"perhaps\""),
          new Bad("report", reportDir.toString()),
          new Bad("journal", journalFile.toString()),
          new Bad("maxRuntime", "\"forever\""),
          new Bad("\"colour\""),
          new Bad("\"justaword\""));
      // The agent fell back to its defaults and still did its job.
      assertEquals(TASKS, stopped(emulator), emulator.tasks().toString());
    }
  }

  @Test
  void wrongValuesAsSystemProperties() throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10))) {
      run(
          "system properties",
          emulator,
          key,
          app ->
              app.jvmOption("-Dlastcall.timeout=-5s")
                  .jvmOption("-Dlastcall.concurrency=-1")
                  .jvmOption("-Dlastcall.maxRuntime=0")
                  .jvmOption("-Dlastcall.nosuchkey=1"),
          true,
          new Bad("lastcall.timeout", "\"-5s\""),
          new Bad("lastcall.concurrency", "\"-1\""),
          new Bad("lastcall.maxRuntime", "\"0\""),
          new Bad("lastcall.nosuchkey"));
      assertEquals(TASKS, stopped(emulator));
    }
  }

  @Test
  void wrongValuesAsEnvironmentVariables() throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10))) {
      run(
          "environment variables",
          emulator,
          key,
          app ->
              app.env("LASTCALL_TIMEOUT", "0")
                  .env("LASTCALL_CONCURRENCY", "99999")
                  .env("LASTCALL_ENABLED", "sometimes")
                  .env("LASTCALL_NO_SUCH_KEY", "1"),
          true,
          new Bad("LASTCALL_TIMEOUT", "\"0\""),
          new Bad("LASTCALL_CONCURRENCY", "\"99999\""),
          new Bad("LASTCALL_ENABLED", "\"sometimes\""),
          new Bad("LASTCALL_NO_SUCH_KEY"));
      assertEquals(TASKS, stopped(emulator));
    }
  }

  @Test
  void anUnreadableApiKeyFile() throws Exception {
    String key = AgentJvm.randomKey();
    Path missing = dir.resolve("no-such-key-file");
    Path report = dir.resolve("report.json");
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10))) {
      Scenario.Run run =
          run(
              "unreadable apiKeyFile",
              emulator,
              key,
              app -> app.agentArg("apiKeyFile=" + missing).report(report),
              true,
              new Bad("apiKeyFile", missing.toString()));
      // Without a key nothing can be cancelled; the report says so for every task, and no task was
      // touched.
      AgentReport r = AgentReport.read(report);
      assertEquals(TASKS, r.tasks().size(), r.raw());
      assertTrue(r.tasks().stream().allMatch(e -> e.outcome().equals("FAILED")), r.raw());
      for (TaskView task : emulator.tasks()) {
        assertEquals(0, task.stopCalls(), task.toString());
      }
    }
  }

  @Test
  void aBaseUrlThatIsNotAUrlDisablesTheAgentWithOneLine() throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10))) {
      run(
          "baseUrl not a URL",
          emulator,
          key,
          app -> app.agentBaseUrl("not a url"),
          true,
          new Bad("baseUrl", "\"not a url\""));
      assertEquals(0, stopped(emulator), "a disabled agent stops nothing");
    }
  }

  @Test
  void aDisabledAgentNamesTheTasksItLeavesRunningAndReportsThemFailed() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10))) {
      Scenario.Run run =
          run(
              "baseUrl refused, with a report",
              emulator,
              key,
              app -> app.agentBaseUrl("ftp://tasks.example.com").report(report),
              true,
              new Bad("baseUrl", "\"ftp://tasks.example.com\""));
      List<String> atShutdown =
          run.stderr().stream().filter(l -> l.contains(" at shutdown")).toList();
      assertEquals(1, atShutdown.size(), run.described());
      String line = atShutdown.get(0);
      assertTrue(
          line.startsWith(
              "lastcall: the agent is disabled and leaves "
                  + TASKS
                  + " tasks registered at shutdown running: baseUrl \"ftp://tasks.example.com\""),
          line);
      AgentReport r = AgentReport.read(report);
      assertEquals(TASKS, r.tasks().size(), r.raw());
      for (AgentReport.Entry e : r.tasks()) {
        assertEquals("FAILED", e.outcome(), r.raw());
        assertTrue(e.detail().startsWith("not cancelled, the agent is disabled: baseUrl"), r.raw());
      }
      assertEquals(0, stopped(emulator), "a disabled agent stops nothing");
    }
  }

  @Test
  void plainHttpToANonLoopbackHostIsRefusedUnlessAllowed() throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10))) {
      // Refused before any connection: the agent is disabled, so nothing is sent anywhere.
      run(
          "plain http, non-loopback",
          emulator,
          key,
          app -> app.agentBaseUrl("http://tasks.example.com"),
          true,
          new Bad("baseUrl", "\"http://tasks.example.com\"", "allowInsecure"));
      assertEquals(0, stopped(emulator), "a disabled agent stops nothing");
      for (TaskView task : emulator.tasks()) {
        assertEquals(0, task.stopCalls(), task.toString());
      }
    }
    // With allowInsecure=true the same kind of URL is accepted: NetworkFaultsIT's DNS test runs
    // the agent against http://hangs.invalid:PORT that way and gets a report of every task.
  }
}
