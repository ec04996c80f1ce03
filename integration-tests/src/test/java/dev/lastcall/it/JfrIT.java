package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lastcall.TaskRegistry;
import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.Faults;
import dev.lastcall.emulator.TaskView;
import dev.lastcall.testsupport.ChildFirstClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's JFR events in real JVMs: a {@code dumponexit} recording started with {@code
 * -XX:StartFlightRecording} (or later, with {@code jcmd JFR.start}), a real SIGTERM, and the file
 * JFR wrote read back with {@link RecordingFile}, compared with the emulator's record of every task
 * and with the agent's report. JFR dumps that recording from a shutdown hook of its own, which
 * would race the agent's: these runs prove the events are in it anyway (see ARCHITECTURE, "JFR
 * events"). On the JDK running the tests and on the newest JDK under /usr/lib/jvm.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JfrIT {
  private static final int TASKS = 50;

  @TempDir Path dir;

  /** When the {@code dumponexit} recording starts. */
  enum RecordingStart {
    /** {@code -XX:StartFlightRecording}: the recorder exists before the first registration. */
    AT_LAUNCH,
    /**
     * {@code jcmd PID JFR.start} once the app runs with its tasks registered: the agent learns of
     * the recorder from its listener and takes JFR's hook then.
     */
    LATER_WITH_JCMD
  }

  /** Each JDK with a recording from launch; the tests' JDK with one started later by jcmd. */
  static Stream<Arguments> recordings() throws Exception {
    List<Arguments> runs = new ArrayList<>();
    runs.add(Arguments.of(ChildJvm.currentJava(), RecordingStart.AT_LAUNCH));
    Optional<Path> newer = NetworkFaultsIT.newerJdk();
    newer.ifPresent(
        jdk ->
            runs.add(Arguments.of(jdk.resolve("bin/java").toString(), RecordingStart.AT_LAUNCH)));
    runs.add(Arguments.of(ChildJvm.currentJava(), RecordingStart.LATER_WITH_JCMD));
    return runs.stream();
  }

  @ParameterizedTest(name = "{1}, {0}")
  @MethodSource("recordings")
  void aSigtermShutdownOf50TasksIsInTheDumpOnExitRecording(String java, RecordingStart start)
      throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    Path recording = dir.resolve("rec.jfr");
    try (Emulator emulator =
        Scenario.emulator(key, Duration.ofMillis(200), Duration.ofMinutes(10))) {
      AgentJvm app = AgentJvm.sampleApp().java(java);
      if (start == RecordingStart.AT_LAUNCH) {
        app.jvmOption("-XX:StartFlightRecording=filename=" + recording + ",dumponexit=true");
      }
      app.baseUrl(emulator.baseUrl())
          .talksTo(emulator, dir)
          .apiKey(key)
          .report(report)
          .tasks(TASKS)
          .timeout("10s");
      Scenario.Run run =
          Scenario.run(
              "SIGTERM, " + TASKS + " tasks, dumponexit recording " + start + ", " + java,
              app,
              report,
              "TERM",
              child -> {
                awaitWarmRequest(emulator);
                if (start == RecordingStart.LATER_WITH_JCMD) {
                  startRecording(java, child, recording);
                }
              },
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
        assertEquals("cloud", cancel.getString("family"), id);
        if (outcome.equals("STOPPED")) {
          assertEquals(200, cancel.getInt("httpStatus"), id + ": a confirmed stop came from a 200");
        }
      }
      assertEquals(Scenario.idsOf(emulator), outcomeById.keySet(), "one event per task created");
      Map<String, Integer> statusById = new HashMap<>();
      for (RecordedEvent cancel : cancels) {
        statusById.put(cancel.getString("taskId"), cancel.getInt("httpStatus"));
      }
      for (AgentReport.Entry entry : agentReport.tasks()) {
        assertEquals(entry.outcome(), outcomeById.get(entry.id()), "event vs report: " + entry);
        assertEquals(entry.httpStatus(), statusById.get(entry.id()), "event vs report: " + entry);
      }
      assertEquals(
          shutdown.getInt("stopped"),
          outcomeById.values().stream().filter("STOPPED"::equals).count());
      assertNoKeyInAnyField(key, events);
    }
  }

  /**
   * Time limits while the app runs, seen live by a {@link RecordingStream} in the app's JVM ({@link
   * JfrStreamApp}, started before the app registers anything): one {@code dev.lastcall.TimeLimit}
   * event per task past its limit, each agreeing with the emulator.
   */
  @Test
  void tasksPastTheirLimitAreTimeLimitEventsInARecordingStream() throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator =
        Scenario.emulator(key, Duration.ofMillis(200), Duration.ofMinutes(10))) {
      List<String> command =
          streamed(
              emulator,
              "timeout=5s,maxRuntime=1s",
              TimeLimitApp.class,
              "--base-url",
              emulator.baseUrl(),
              "--mode",
              "limits",
              "--limited",
              "4",
              "--long",
              "2");
      Lines lines = new Lines();
      try (ChildJvm app =
          OutputOnFailure.watch(
              ChildJvm.start(command, Map.of("BLACKBOX_API_KEY", key), lines, null))) {
        SecretScan.track(key, app, null);
        app.awaitReady(Scenario.READY_TIMEOUT);
        Set<String> limited =
            app.stdout().stream()
                .filter(line -> line.startsWith("TASK limited "))
                .map(line -> line.split(" ")[2])
                .collect(Collectors.toSet());
        assertEquals(4, limited.size(), app.describe());
        List<String> events = lines.await("JFR dev.lastcall.TimeLimit ", limited.size(), app);
        Map<String, String> outcomeById = new HashMap<>();
        for (String event : events) {
          Map<String, String> fields = fields(event);
          outcomeById.put(fields.get("taskId"), fields.get("outcome"));
          assertEquals("STOPPED", fields.get("outcome"), event);
          assertEquals(
              "stopped",
              emulator.task(fields.get("taskId")).orElseThrow().status(),
              "the emulator agrees with " + event);
        }
        assertEquals(limited, outcomeById.keySet(), "one TimeLimit event per limited task");
        assertTrue(app.isAlive(), "the application keeps running" + app.describe());
        app.signal("TERM");
        assertEquals(143, app.awaitExit(Duration.ofSeconds(30)), app.describe());
      }
    }
  }

  /**
   * The sweep of a SIGKILLed JVM's journal by the next JVM, seen live by a {@link RecordingStream}
   * in that JVM ({@link JfrStreamApp} around {@link JournalApp}): one {@code dev.lastcall.Sweep}
   * event agreeing with the emulator.
   */
  @Test
  void theSweepOfAKilledJvmsJournalIsASweepEventInARecordingStream() throws Exception {
    String key = AgentJvm.randomKey();
    Path journal = dir.resolve("journal");
    int tasks = 20;
    try (Emulator emulator = JournalJvms.emulator(key)) {
      Path ids = JournalJvms.createTasks(emulator, key, tasks, dir.resolve("ids.txt"));
      try (ChildJvm first =
          JournalJvms.startApp(emulator, key, journal, ids, null, List.of(), null)) {
        assertEquals(tasks, first.awaitReady(Scenario.READY_TIMEOUT));
        first.signal("KILL");
        assertEquals(137, first.awaitExit(Duration.ofSeconds(10)), first.describe());
      }
      Path none = Files.writeString(dir.resolve("none.txt"), "");
      // The next JVM's sweep begins at premain, before its main starts the RecordingStream: every
      // answer is a 5xx (the sweep retries) until the app says READY, by when the stream runs, so
      // the sweep's event has somewhere to go.
      emulator.faults(Faults.builder().errorRate(1.0).build());
      List<String> command =
          streamed(
              emulator,
              "timeout=10s,journal=" + journal.toAbsolutePath(),
              JournalApp.class,
              "--ids",
              none.toAbsolutePath().toString());
      Lines lines = new Lines();
      try (ChildJvm next =
          OutputOnFailure.watch(
              ChildJvm.start(command, Map.of("BLACKBOX_API_KEY", key), lines, null))) {
        SecretScan.track(key, next, null);
        next.awaitReady(Scenario.READY_TIMEOUT);
        emulator.faults(Faults.none());
        String event = lines.await("JFR dev.lastcall.Sweep ", 1, next).get(0);
        Map<String, String> sweep = fields(event);
        long stopped =
            Files.readAllLines(ids).stream()
                .filter(id -> emulator.task(id).orElseThrow().status().equals("stopped"))
                .count();
        assertEquals(tasks, stopped, "every task of the killed JVM stopped");
        assertEquals("1", sweep.get("journals"), event);
        assertEquals(String.valueOf(tasks), sweep.get("tasks"), event);
        assertEquals(String.valueOf(stopped), sweep.get("stopped"), "by the emulator: " + event);
        assertEquals("0", sweep.get("tasksLeft"), event);
        assertEquals(journal.toAbsolutePath().toString(), sweep.get("journal"), event);
        assertFalse(event.contains(key), "the key in the event: " + event);
        assertTrue(next.isAlive(), "the application keeps running" + next.describe());
        next.signal("TERM");
        assertEquals(143, next.awaitExit(Duration.ofSeconds(30)), next.describe());
      }
    }
  }

  /**
   * A JVM without {@code jdk.jfr} (every system module but JFR's, through {@code --limit-modules}):
   * the agent cancels as always and says nothing about JFR.
   */
  @Test
  void aJvmWithoutJfrShutsDownAsAlways() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator =
        Scenario.emulator(key, Duration.ofMillis(200), Duration.ofMinutes(10))) {
      AgentJvm app =
          AgentJvm.sampleApp()
              .jvmOption("--limit-modules")
              .jvmOption(String.join(",", modulesWithoutJfr()))
              .baseUrl(emulator.baseUrl())
              .talksTo(emulator, dir)
              .apiKey(key)
              .report(report)
              .tasks(20)
              .timeout("10s");
      Scenario.Run run =
          Scenario.run("SIGTERM, 20 tasks, no jdk.jfr", app, report, "TERM", null, null);
      assertEquals(143, run.exitCode(), run.described());
      assertEquals(20, run.requireReport().count("STOPPED"), run.described());
      assertEquals(20L, emulator.countsByStatus().getOrDefault("stopped", 0L));
      assertFalse(
          run.stderr().stream().anyMatch(line -> line.contains("JFR")),
          "no word about JFR" + run.described());
    }
  }

  /** The running JDK's system modules but {@code jdk.jfr} and those that need it. */
  private static List<String> modulesWithoutJfr() {
    return java.lang.module.ModuleFinder.ofSystem().findAll().stream()
        .map(reference -> reference.descriptor())
        .filter(
            descriptor ->
                !descriptor.name().equals("jdk.jfr")
                    && descriptor.requires().stream().noneMatch(r -> r.name().equals("jdk.jfr")))
        .map(descriptor -> descriptor.name())
        .sorted()
        .collect(Collectors.toList());
  }

  /**
   * The command of {@code app} under the agent ({@code baseUrl} plus {@code agentArgs}) with a
   * {@link RecordingStream} of the agent's events in its JVM ({@link JfrStreamApp}).
   */
  private static List<String> streamed(
      Emulator emulator, String agentArgs, Class<?> app, String... appArgs) {
    List<String> command = AgentJvm.javaWithAgent(emulator, agentArgs);
    command.add("-cp");
    command.add(
        ChildJvm.classPath(
            JfrStreamApp.class, app, ChildFirstClassLoader.class, TaskRegistry.class));
    command.add(JfrStreamApp.class.getName());
    command.add(app.getName());
    command.addAll(List.of(appArgs));
    return command;
  }

  /** {@code jcmd PID JFR.start} a {@code dumponexit} recording to {@code file}, as an operator. */
  private static void startRecording(String java, ChildJvm child, Path file) throws Exception {
    Path jcmd = Path.of(java).resolveSibling("jcmd");
    Process p =
        new ProcessBuilder(
                jcmd.toString(),
                Long.toString(child.pid()),
                "JFR.start",
                "filename=" + file,
                "dumponexit=true")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jcmd JFR.start did not finish");
    assertEquals(0, p.exitValue(), "jcmd JFR.start: " + out);
    assertTrue(out.contains("Started recording"), "jcmd JFR.start: " + out);
  }

  private static void awaitStderr(ChildJvm jvm, String text) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (jvm.stderr().stream().noneMatch(line -> line.contains(text))) {
      if (System.nanoTime() > end) {
        fail("no stderr line containing '" + text + "'" + jvm.describe());
      }
      Thread.sleep(20);
    }
  }

  /** {@code name=value} pairs of a {@code JFR <name> ...} line of {@link JfrStreamApp}. */
  private static Map<String, String> fields(String line) {
    Map<String, String> fields = new HashMap<>();
    for (String part : line.split(" ")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        fields.put(part.substring(0, eq), part.substring(eq + 1));
      }
    }
    return fields;
  }

  /** A child's stdout, with a wait for lines that start with a prefix. */
  private static final class Lines implements java.util.function.Consumer<String> {
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void accept(String line) {
      lines.add(line);
      notifyAll();
    }

    synchronized List<String> await(String prefix, int count, ChildJvm jvm)
        throws InterruptedException {
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        List<String> matching =
            lines.stream().filter(line -> line.startsWith(prefix)).collect(Collectors.toList());
        if (matching.size() >= count) {
          return matching;
        }
        long left = end - System.nanoTime();
        if (left <= 0) {
          fail(matching.size() + " of " + count + " lines '" + prefix + "'" + jvm.describe());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
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
