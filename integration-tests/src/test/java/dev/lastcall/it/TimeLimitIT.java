package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.TaskRegistry;
import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.TaskView;
import dev.lastcall.testsupport.ChildFirstClassLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Time limits and cancel on demand in real JVMs under the agent, against an in-process emulator:
 * what the application printed is compared with what the emulator holds, while the application is
 * still running. Every wait is for a line the application prints or for its exit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TimeLimitIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  private static Emulator emulator(String key) throws IOException {
    // Nothing finishes by itself during a test.
    return Scenario.emulator(key, Duration.ofMillis(200), Duration.ofMinutes(10));
  }

  /** A running TimeLimitApp whose stdout lines complete futures as they arrive. */
  private static final class App implements AutoCloseable {
    final ChildJvm jvm;
    final List<String> lines = new ArrayList<>();
    private final List<Map.Entry<Predicate<List<String>>, CompletableFuture<Void>>> waits =
        new ArrayList<>();

    App(List<String> command, String key) throws IOException {
      this.jvm =
          OutputOnFailure.watch(
              ChildJvm.start(command, Map.of("BLACKBOX_API_KEY", key), this::onLine, null));
    }

    private synchronized void onLine(String line) {
      lines.add(line);
      waits.removeIf(wait -> wait.getKey().test(lines) && wait.getValue().complete(null));
    }

    /** Waits until the lines printed so far satisfy {@code condition}. */
    void await(String what, Predicate<List<String>> condition) throws Exception {
      CompletableFuture<Void> done = new CompletableFuture<>();
      synchronized (this) {
        if (condition.test(lines)) {
          return;
        }
        waits.add(Map.entry(condition, done));
      }
      try {
        done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("no " + what + " within " + WAIT + jvm.describe(), e);
      }
    }

    synchronized List<String> linesStarting(String prefix) {
      return lines.stream().filter(line -> line.startsWith(prefix + " ")).toList();
    }

    /** The ids of {@code TASK <kind> <id>} lines. */
    List<String> tasks(String kind) {
      return linesStarting("TASK " + kind).stream().map(line -> line.split(" ")[2]).toList();
    }

    @Override
    public void close() {
      jvm.close();
    }
  }

  private static List<String> command(
      Emulator emulator, String agentArgs, boolean apiOnClassPath, String... appArgs) {
    List<String> command = AgentJvm.javaWithAgent(emulator, agentArgs);
    command.add("-cp");
    List<Path> classpath =
        apiOnClassPath
            ? ChildJvm.codeSources(
                TimeLimitApp.class, ChildFirstClassLoader.class, TaskRegistry.class)
            : ChildJvm.codeSources(TimeLimitApp.class, ChildFirstClassLoader.class);
    command.add(ChildJvm.classPath(classpath));
    command.add(TimeLimitApp.class.getName());
    command.addAll(List.of("--base-url", emulator.baseUrl()));
    command.addAll(List.of(appArgs));
    return command;
  }

  private static Map<String, String> statuses(Emulator emulator, List<String> ids) {
    Map<String, String> statuses = new LinkedHashMap<>();
    for (String id : ids) {
      statuses.put(id, emulator.task(id).map(TaskView::status).orElse("missing"));
    }
    return statuses;
  }

  private static Map<String, String> allStatus(List<String> ids, String status) {
    Map<String, String> expected = new LinkedHashMap<>();
    ids.forEach(id -> expected.put(id, status));
    return expected;
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void tasksPastTheirLimitAreStoppedWhileTheAppKeepsRunning() throws Exception {
    String key = randomKey();
    try (Emulator emulator = emulator(key);
        App app =
            new App(
                command(
                    emulator,
                    "timeout=5s,maxRuntime=1s",
                    true,
                    "--mode",
                    "limits",
                    "--closed",
                    "3",
                    "--limited",
                    "6",
                    "--by-default",
                    "6",
                    "--long",
                    "3"),
                key)) {
      app.await("READY line", lines -> lines.stream().anyMatch(line -> line.startsWith("READY ")));
      List<String> limited = new ArrayList<>(app.tasks("limited"));
      limited.addAll(app.tasks("by-default"));
      List<String> longer = app.tasks("long");
      List<String> closed = app.tasks("closed");
      assertEquals(12, limited.size());

      app.await(
          "outcome for every limited task",
          lines ->
              lines.stream().filter(line -> line.startsWith("OUTCOME ")).count() >= limited.size());

      // While the application still runs: the emulator holds them stopped, the rest untouched.
      assertTrue(app.jvm.isAlive(), "the application keeps running" + app.jvm.describe());
      assertEquals(allStatus(limited, "stopped"), statuses(emulator, limited));
      assertEquals(allStatus(longer, "processing"), statuses(emulator, longer));
      // The application's listener saw each one: stopped, deregistered, not before its limit.
      Map<String, String> told = new LinkedHashMap<>();
      for (String line : app.linesStarting("OUTCOME")) {
        String[] parts = line.split(" ");
        told.put(parts[1], parts[2]);
        assertEquals("registered=false", parts[3], line);
        assertTrue(Long.parseLong(parts[4].substring("afterMs=".length())) >= 1_000, line);
      }
      assertEquals(Set.copyOf(limited), told.keySet(), "one outcome per limited task, no other");
      assertEquals(allStatus(limited, "STOPPED"), told);

      // Then a SIGTERM: the hook takes what is still registered (the long ones) and only that.
      app.jvm.signal("TERM");
      assertEquals(143, app.jvm.awaitExit(Duration.ofSeconds(30)), app.jvm.describe());
      assertEquals(allStatus(longer, "stopped"), statuses(emulator, longer));
      for (String id : limited) {
        assertEquals(
            1, emulator.task(id).orElseThrow().stopCalls(), "stopped once, by its limit: " + id);
      }
      for (String id : closed) {
        TaskView task = emulator.task(id).orElseThrow();
        assertEquals(0, task.stopCalls(), "closed before its limit, never stopped: " + id);
        assertEquals("processing", task.status());
      }
    }
  }

  @Test
  void limitsWorkThroughAChildFirstCopyOfTheApi() throws Exception {
    String key = randomKey();
    try (Emulator emulator = emulator(key);
        App app =
            new App(
                command(
                    emulator,
                    "timeout=5s",
                    false,
                    "--mode",
                    "limits",
                    "--api",
                    "child-first:" + AgentJvm.apiJar(),
                    "--limited",
                    "3",
                    "--long",
                    "2"),
                key)) {
      app.await("READY line", lines -> lines.stream().anyMatch(line -> line.startsWith("READY ")));
      List<String> limited = app.tasks("limited");
      app.await(
          "outcome for every limited task",
          lines ->
              lines.stream().filter(line -> line.startsWith("OUTCOME ")).count() >= limited.size());

      assertTrue(app.jvm.isAlive(), app.jvm.describe());
      assertEquals(allStatus(limited, "stopped"), statuses(emulator, limited));
      assertEquals(
          allStatus(app.tasks("long"), "processing"), statuses(emulator, app.tasks("long")));
      for (String line : app.linesStarting("OUTCOME")) {
        assertTrue(line.contains(" STOPPED registered=false "), line);
      }
    }
  }

  @Test
  void cancelOnDemandThroughAChildFirstCopyStopsTasksWithoutExiting() throws Exception {
    String key = randomKey();
    try (Emulator emulator = emulator(key);
        App app =
            new App(
                command(
                    emulator,
                    "timeout=5s",
                    false,
                    "--mode",
                    "on-demand",
                    "--api",
                    "child-first:" + AgentJvm.apiJar(),
                    "--tasks",
                    "20"),
                key)) {
      app.await("DONE line", lines -> lines.contains("DONE"));

      assertTrue(app.jvm.isAlive(), "the application keeps running" + app.jvm.describe());
      List<String> ids = app.tasks("on-demand");
      assertEquals(20, ids.size());
      assertEquals(
          List.of("REPORT-CLASSES lastcall-child-first"),
          app.linesStarting("REPORT-CLASSES"),
          "the report is the child-first copy's own CancelReport");
      Map<String, String> reported = new LinkedHashMap<>();
      for (String line : app.linesStarting("REPORT")) {
        String[] parts = line.split(" ");
        reported.put(parts[1], parts[2]);
      }
      assertEquals(allStatus(ids, "STOPPED"), reported);
      assertEquals(allStatus(ids, "stopped"), statuses(emulator, ids));

      String[] cancel = app.linesStarting("CANCEL").get(0).split(" ");
      assertEquals("STOPPED", cancel[2]);
      assertEquals("deadlineMs=5000", cancel[3], "cancel(id) uses the configured timeout");
      assertEquals("stopped", emulator.task(cancel[1]).orElseThrow().status());
      assertEquals(
          List.of("REGISTERED 0", "REGISTERED 0"),
          app.linesStarting("REGISTERED"),
          "confirmed tasks are deregistered");
      assertEquals(21, emulator.countsByStatus().getOrDefault("stopped", 0L));
    }
  }

  private static String randomKey() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return "bb_" + HexFormat.of().formatHex(bytes);
  }
}
