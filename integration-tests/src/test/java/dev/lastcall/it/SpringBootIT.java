package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.Emulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spring Boot 3.5 fat jar with no Lastcall code creates its tasks with Boot's auto-configured
 * {@code RestClient} (on the JDK's {@code HttpClient}, which Boot picks with only
 * spring-boot-starter-web), started with {@code -javaagent} and the default {@code track=auto}: a
 * real SIGTERM stops every one, on the emulator and in the report ({@code found: tracking}). And
 * the same app attached while it runs: the HTTP client classes it had loaded are instrumented then,
 * so the tasks it creates after the attach are found and stopped too.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpringBootIT {
  private static final int TASKS = 3;

  @TempDir Path dir;

  @Test
  void everyTaskCreatedThroughRestClientIsStoppedAtSigterm() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        ChildJvm app =
            AgentJvm.sampleApp()
                .jar(AgentJvm.springAppJar())
                .baseUrl(emulator.baseUrl())
                .apiKey(key)
                .timeout("5s")
                .report(report)
                .tasks(TASKS)
                .appArgs("--mode", "restclient")
                .start()) {
      assertEquals(TASKS, app.awaitReady(Scenario.READY_TIMEOUT), app.describe());
      assertTrue(
          app.stdout()
              .contains("FACTORY org.springframework.http.client.JdkClientHttpRequestFactory"),
          "Boot chose the JDK's HttpClient: " + app.describe());
      Set<String> created = created(app);
      assertEquals(TASKS, created.size(), app.describe());

      app.signal("TERM");
      app.awaitExit(Duration.ofSeconds(60));

      for (String id : created) {
        assertEquals("stopped", emulator.task(id).orElseThrow().status(), app.describe());
      }
      AgentReport parsed = AgentReport.read(report);
      assertEquals(created, ids(parsed), parsed.raw());
      for (AgentReport.Entry task : parsed.tasks()) {
        assertEquals("STOPPED", task.outcome(), parsed.raw());
        assertEquals("tracking", task.found(), parsed.raw());
      }
    }
  }

  @Test
  void afterAnAttachTheClientClassesAlreadyLoadedAreTrackedToo() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    Path go = dir.resolve("go");
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        ChildJvm app =
            AgentJvm.sampleApp()
                .withoutAgent()
                .jar(AgentJvm.springAppJar())
                .baseUrl(emulator.baseUrl())
                .apiKey(key)
                .tasks(TASKS)
                .appArgs("--mode", "restclient", "--more-when", go.toString())
                .start()) {
      assertEquals(TASKS, app.awaitReady(Scenario.READY_TIMEOUT), app.describe());
      Set<String> before = created(app);

      JournalJvms.Cli cli =
          JournalJvms.cli(
              Map.of("BLACKBOX_API_KEY", key),
              "attach",
              Long.toString(app.pid()),
              "--baseUrl",
              emulator.baseUrl(),
              "--timeout",
              "5s",
              "--report",
              report.toString());
      SecretScan.trackText(key, "attach's output", cli.describe());
      assertEquals(0, cli.exitCode(), cli.describe());
      Files.createFile(go);
      app.awaitStdoutLine("MORE ", Scenario.READY_TIMEOUT);
      Set<String> after = created(app);
      after.removeAll(before);
      assertEquals(TASKS, after.size(), app.describe());

      app.signal("TERM");
      app.awaitExit(Duration.ofSeconds(60));

      for (String id : after) {
        assertEquals("stopped", emulator.task(id).orElseThrow().status(), app.describe());
      }
      for (String id : before) { // created before any agent existed: nothing could know of them
        assertEquals("processing", emulator.task(id).orElseThrow().status(), app.describe());
      }
      AgentReport parsed = AgentReport.read(report);
      assertEquals(after, ids(parsed), parsed.raw());
      for (AgentReport.Entry task : parsed.tasks()) {
        assertEquals("tracking", task.found(), parsed.raw());
      }
    }
  }

  private static Set<String> created(ChildJvm app) {
    return app.stdout().stream()
        .filter(line -> line.startsWith("CREATED "))
        .map(line -> line.substring("CREATED ".length()))
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static Set<String> ids(AgentReport report) {
    return report.tasks().stream().map(AgentReport.Entry::id).collect(Collectors.toSet());
  }
}
