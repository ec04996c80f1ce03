package dev.lastcall.it;

import static dev.lastcall.it.Scenario.assertAgrees;
import static dev.lastcall.it.Scenario.assertEveryOutcome;
import static dev.lastcall.it.Scenario.assertExitedByDeadline;
import static dev.lastcall.it.Scenario.assertOneEntryPerId;
import static dev.lastcall.it.Scenario.assertSummaryLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.Faults;
import dev.lastcall.emulator.TaskView;
import dev.lastcall.testsupport.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs of the v1 Agent API ({@code /api/v1/tasks}, {@code sk-} keys) beside cloud tasks, in real
 * JVMs against the emulator, which serves both families on one port: the application registers
 * {@code TaskRef.v1Run(runId)} (SampleApp reads keys, {@code v1/RUNID}, from its ids file), and the
 * agent cancels each task through its own family's API. Asserted on the emulator (a cancelled run's
 * status is {@code cancelled}) and in the agent's report (one entry per key, with its family).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class V1RunsIT {
  private static final String DEADLINE = "5s";
  private static final long DEADLINE_MS = 5_000;

  @TempDir Path dir;

  /** Who registers what, and what the emulator's runs are doing at the signal. */
  enum Mix {
    /** Only v1 runs, and the agent has only the v1 key: either family works alone. */
    V1_ONLY(0, 6, Duration.ZERO, false, "5s"),
    /** Both families in one JVM: SIGTERM stops all, each through its own API. */
    BOTH(4, 4, Duration.ZERO, true, "5s"),
    /**
     * Both, still {@code queued}/{@code pending} at the signal: a run's cancel answers 400, the
     * agent reads its status and cancels again within the deadline. Queued for longer than a busy
     * machine takes to start the JVM, and well inside the deadline.
     */
    BOTH_QUEUED_AT_SIGNAL(2, 4, Duration.ofSeconds(6), true, "10s");

    final int cloudTasks;
    final int runs;
    final Duration pendingFor;
    final boolean cloudKey;
    final String deadline;

    Mix(int cloudTasks, int runs, Duration pendingFor, boolean cloudKey, String deadline) {
      this.cloudTasks = cloudTasks;
      this.runs = runs;
      this.pendingFor = pendingFor;
      this.cloudKey = cloudKey;
      this.deadline = deadline;
    }

    long deadlineMs() {
      return Long.parseLong(deadline.substring(0, deadline.length() - 1)) * 1000;
    }
  }

  /** Both families on one plain HTTP emulator; nothing finishes by itself during a test. */
  static Emulator emulator(String key, Duration pendingFor, String... agentKeys)
      throws IOException {
    Emulator.Builder builder =
        Emulator.builder()
            .host("127.0.0.1")
            .port(0)
            .apiKey(key)
            .pendingFor(pendingFor)
            .processingFor(Duration.ofMinutes(10))
            .savingFor(Duration.ofMillis(100))
            .faults(Faults.none());
    for (String agentKey : agentKeys) {
      builder.agentApiKey(agentKey);
    }
    return builder.start();
  }

  /** Creates the tasks and runs and writes their keys to a file, one a line, cloud tasks first. */
  static Path keysFile(
      Emulator emulator, String key, String agentKey, int cloudTasks, int runs, Path file)
      throws IOException {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < cloudTasks; i++) {
      keys.add(emulator.createTask(key, "cloud task " + i));
    }
    for (int i = 0; i < runs; i++) {
      keys.add("v1/" + emulator.createRun(agentKey, "v1 run " + i));
    }
    Files.write(file, keys);
    return file;
  }

  private AgentJvm app(Emulator emulator, String key, String agentKey, Path keys, Path report)
      throws IOException {
    AgentJvm app =
        AgentJvm.sampleApp()
            .baseUrl(emulator.baseUrl())
            .agentArg("agentBaseUrl=" + emulator.agentBaseUrl())
            .apiKey(key)
            .timeout(DEADLINE)
            .report(report)
            .idsFile(keys);
    return agentKey == null ? app : app.agentApiKey(agentKey);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Mix.class)
  void sigtermStopsEveryTaskOfEitherFamilyThroughItsOwnApi(Mix mix) throws Exception {
    String key = AgentJvm.randomKey();
    String agentKey = AgentJvm.randomAgentKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = emulator(key, mix.pendingFor, agentKey)) {
      Path keys =
          keysFile(emulator, key, agentKey, mix.cloudTasks, mix.runs, dir.resolve("keys.txt"));
      AgentJvm app =
          app(emulator, mix.cloudKey ? key : null, agentKey, keys, report).timeout(mix.deadline);
      Scenario.Run run =
          Scenario.run(
              mix.name(),
              app,
              report,
              "TERM",
              child -> {
                if (!mix.pendingFor.isZero()) {
                  // What this case is about; on a machine so busy that the JVM took longer than
                  // pendingFor to start, it would prove nothing.
                  Assumptions.assumeTrue(
                      emulator.tasks().stream()
                          .allMatch(
                              t -> t.status().equals("queued") || t.status().equals("pending")),
                      "the tasks left queued/pending before the signal: " + emulator.tasks());
                }
              },
              null);

      assertEquals(143, run.exitCode(), "exit code after SIGTERM" + run.described());
      assertEquals(mix.cloudTasks + mix.runs, run.registered());
      assertExitedByDeadline(run, mix.deadlineMs());
      assertSummaryLine(run);
      assertOneEntryPerId(run, Set.copyOf(Files.readAllLines(keys)));
      assertEveryOutcome(run, Set.of("STOPPED"));
      assertAgrees(run, emulator);
      for (TaskView task : emulator.tasks()) {
        assertEquals(Scenario.stoppedStatus(task), task.status(), task + run.described());
        assertEquals(1, task.successfulStops(), task.toString());
      }
      for (AgentReport.Entry entry : run.requireReport().tasks()) {
        assertEquals(
            entry.id().startsWith("v1/") ? "v1" : "cloud", entry.family(), entry.toString());
        if (!mix.pendingFor.isZero()) {
          assertTrue(entry.attempts() >= 3, "refused, status read, cancelled again: " + entry);
        }
      }
    }
  }

  @Test
  void withoutTheV1KeyRunsAreFailedNamingItAndCloudTasksAreStillStopped() throws Exception {
    String key = AgentJvm.randomKey();
    String agentKey = AgentJvm.randomAgentKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = emulator(key, Duration.ZERO, agentKey)) {
      Path keys = keysFile(emulator, key, agentKey, 3, 3, dir.resolve("keys.txt"));
      Scenario.Run run =
          Scenario.run(
              "no v1 key", app(emulator, key, null, keys, report), report, "TERM", null, null);

      assertEquals(143, run.exitCode(), "exit code after SIGTERM" + run.described());
      assertExitedByDeadline(run, DEADLINE_MS);
      assertOneEntryPerId(run, Set.copyOf(Files.readAllLines(keys)));
      assertAgrees(run, emulator);
      for (AgentReport.Entry entry : run.requireReport().tasks()) {
        if (entry.id().startsWith("v1/")) {
          assertEquals("FAILED", entry.outcome(), entry.toString());
          assertEquals(0, entry.attempts(), entry.toString());
          assertTrue(entry.detail().contains("BLACKBOX_AGENT_API_KEY"), entry.toString());
          assertTrue(entry.detail().contains("agentApiKeyFile"), entry.toString());
          String runId = entry.id().substring(3);
          assertEquals("running", emulator.task(runId).orElseThrow().status());
        } else {
          assertEquals("STOPPED", entry.outcome(), entry.toString());
        }
      }
    }
  }

  @Test
  void anotherAccountsRunAndAnUnknownRunAreNotFoundAndLeftAlone() throws Exception {
    String key = AgentJvm.randomKey();
    String agentKey = AgentJvm.randomAgentKey();
    String otherAgentKey = AgentJvm.randomAgentKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = emulator(key, Duration.ZERO, agentKey, otherAgentKey)) {
      String ours = emulator.createRun(agentKey, "ours");
      String theirs = emulator.createRun(otherAgentKey, "another account's");
      Path keys =
          Files.write(dir.resolve("keys.txt"), List.of("v1/" + ours, "v1/" + theirs, "v1/noSuch"));
      Scenario.Run run =
          Scenario.run(
              "403 and 404",
              app(emulator, key, agentKey, keys, report),
              report,
              "TERM",
              null,
              null);

      assertEquals(143, run.exitCode(), "exit code after SIGTERM" + run.described());
      assertExitedByDeadline(run, DEADLINE_MS);
      Map<String, AgentReport.Entry> byKey =
          run.requireReport().tasks().stream()
              .collect(Collectors.toMap(AgentReport.Entry::id, e -> e));
      assertEquals(Set.of("v1/" + ours, "v1/" + theirs, "v1/noSuch"), byKey.keySet());
      assertEquals("STOPPED", byKey.get("v1/" + ours).outcome());
      assertEquals("NOT_FOUND", byKey.get("v1/" + theirs).outcome());
      assertTrue(byKey.get("v1/" + theirs).detail().startsWith("HTTP 403"), byKey.toString());
      assertEquals("NOT_FOUND", byKey.get("v1/noSuch").outcome());
      assertTrue(byKey.get("v1/noSuch").detail().startsWith("HTTP 404"), byKey.toString());
      assertEquals("cancelled", emulator.task(ours).orElseThrow().status());
      assertEquals("running", emulator.task(theirs).orElseThrow().status());
    }
  }

  @Test
  void aKilledJvmsRunsAndTasksAreSweptFromItsJournal() throws Exception {
    String key = AgentJvm.randomKey();
    String agentKey = AgentJvm.randomAgentKey();
    Path journal = dir.resolve("journal");
    try (Emulator emulator = emulator(key, Duration.ZERO, agentKey)) {
      Path keys = keysFile(emulator, key, agentKey, 5, 5, dir.resolve("keys.txt"));
      Map<String, String> env = Map.of("BLACKBOX_API_KEY", key, "BLACKBOX_AGENT_API_KEY", agentKey);
      try (ChildJvm killed =
          JournalJvms.startApp(
              emulator,
              env,
              ",agentBaseUrl=" + emulator.agentBaseUrl(),
              journal,
              keys,
              null,
              DEADLINE,
              List.of(),
              List.of(),
              null)) {
        assertEquals(10, killed.awaitReady(Scenario.READY_TIMEOUT), killed.describe());
        killed.signal("KILL");
        assertEquals(137, killed.awaitExit(Duration.ofSeconds(10)), killed.describe());
      }
      List<Path> journals = JournalJvms.journals(journal);
      assertEquals(1, journals.size());
      String recorded = Files.readString(journals.get(0));
      assertTrue(recorded.contains("+v1/"), "the journal names runs by their keys: " + recorded);
      for (TaskView task : emulator.tasks()) {
        assertNotEquals(Scenario.stoppedStatus(task), task.status(), "no hook ran: " + task);
      }

      Path sweepReport = dir.resolve("sweep.json");
      JournalJvms.Cli sweep =
          JournalJvms.cli(
              env,
              "sweep",
              "--journal",
              journal.toString(),
              "--baseUrl",
              emulator.baseUrl(),
              "--agentBaseUrl",
              emulator.agentBaseUrl(),
              "--report",
              sweepReport.toString(),
              "--timeout",
              "10s");
      SecretScan.trackText(key, "sweep", sweep.describe());
      SecretScan.trackText(agentKey, "sweep", sweep.describe());

      assertEquals(0, sweep.exitCode(), sweep.describe());
      for (TaskView task : emulator.tasks()) {
        assertEquals(Scenario.stoppedStatus(task), task.status(), task + sweep.describe());
      }
      Set<String> reported = new HashSet<>();
      for (AgentReport.Entry entry : AgentReport.read(sweepReport).tasks()) {
        assertEquals("STOPPED", entry.outcome(), entry.toString());
        reported.add(entry.id());
      }
      assertEquals(Set.copyOf(Files.readAllLines(keys)), reported);
    }
  }

  @Test
  void aKilledJvmsRunsInARedisJournalAreSweptBySweepWatch() throws Exception {
    String key = AgentJvm.randomKey();
    String agentKey = AgentJvm.randomAgentKey();
    Path redisDir = Files.createDirectories(dir.resolve("redis"));
    try (RedisServer redis = RedisServer.start(redisDir);
        Emulator emulator = emulator(key, Duration.ZERO, agentKey)) {
      Path keys = keysFile(emulator, key, agentKey, 3, 5, dir.resolve("keys.txt"));
      List<String> all = Files.readAllLines(keys);
      Map<String, String> env = Map.of("BLACKBOX_API_KEY", key, "BLACKBOX_AGENT_API_KEY", agentKey);
      try (ChildJvm app =
          RedisJournalJvms.startApp(
              emulator,
              env,
              null,
              "journal=" + redis.url() + ",leaseTtl=2s,agentBaseUrl=" + emulator.agentBaseUrl(),
              List.of(),
              keys,
              List.of(),
              null)) {
        assertEquals(8, app.awaitReady(Scenario.READY_TIMEOUT), app.describe());
        app.signal("KILL");
        app.awaitExit(Duration.ofSeconds(30));
      }
      assertNotEquals(
          "*0", redis.command("KEYS", "lastcall:*"), "the killed JVM's records are in Redis");
      try (ChildJvm watch =
          RedisJournalJvms.startWatch(
              env,
              null,
              "--journal",
              redis.url(),
              "--leaseTtl",
              "2s",
              "--every",
              "500ms",
              "--baseUrl",
              emulator.baseUrl(),
              "--agentBaseUrl",
              emulator.agentBaseUrl(),
              "--timeout",
              "10s")) {
        SecretScan.track(agentKey, watch, null);
        Scenario.await(
            "the watch cancels the killed JVM's runs and stops its tasks",
            Duration.ofSeconds(40),
            () ->
                emulator.tasks().stream()
                    .allMatch(t -> t.status().equals(Scenario.stoppedStatus(t))));
        watch.signal("TERM");
        assertEquals(143, watch.awaitExit(Duration.ofSeconds(30)), watch.describe());
      }
      assertEquals(all.size(), emulator.tasks().size());
      assertEquals("*0", redis.command("KEYS", "lastcall:*"), "nothing left, no claim held");
    }
  }

  @Test
  void theCommandsCancelAndReadRunsByTheirKeys() throws Exception {
    String key = AgentJvm.randomKey();
    String agentKey = AgentJvm.randomAgentKey();
    try (Emulator emulator = emulator(key, Duration.ZERO, agentKey)) {
      String run = emulator.createRun(agentKey, "cli run");
      String task = emulator.createTask(key, "cli task");
      Map<String, String> env = Map.of("BLACKBOX_API_KEY", key, "BLACKBOX_AGENT_API_KEY", agentKey);
      String[] urls = {"--baseUrl", emulator.baseUrl(), "--agentBaseUrl", emulator.agentBaseUrl()};

      JournalJvms.Cli cancel = JournalJvms.cli(env, concat("cancel", urls, "v1/" + run, task));
      JournalJvms.Cli status = JournalJvms.cli(env, concat("status", urls, "v1/" + run, task));
      JournalJvms.Cli bad = JournalJvms.cli(env, concat("status", urls, "v1/a/b"));
      for (JournalJvms.Cli cli : List.of(cancel, status, bad)) {
        SecretScan.trackText(agentKey, "cli", cli.describe());
      }

      assertEquals(0, cancel.exitCode(), cancel.describe());
      assertEquals("cancelled", emulator.task(run).orElseThrow().status());
      assertEquals("stopped", emulator.task(task).orElseThrow().status());
      assertTrue(
          cancel.stdout().stream()
              .anyMatch(l -> l.startsWith("v1/" + run) && l.contains("stopped")),
          cancel.describe());
      assertEquals(0, status.exitCode(), status.describe());
      assertTrue(
          status.stdout().stream()
              .anyMatch(l -> l.startsWith("v1/" + run) && l.contains("cancelled")),
          status.describe());
      assertEquals(2, bad.exitCode(), bad.describe());
      assertTrue(bad.stderr().stream().anyMatch(l -> l.contains("v1/")), bad.describe());
    }
  }

  @Test
  void runsAnAppCreatesWithTheJdkHttpClientAreTrackedAndTheOneItCancelledIsDropped()
      throws Exception {
    String agentKey = AgentJvm.randomAgentKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = emulator(AgentJvm.randomKey(), Duration.ZERO, agentKey);
        ChildJvm child =
            AgentJvm.sampleApp()
                .mainClass(ZeroCodeApp.class.getName())
                .classpath(ChildJvm.codeSources(ZeroCodeApp.class))
                .baseUrl(emulator.baseUrl())
                .agentArg("agentBaseUrl=" + emulator.agentBaseUrl())
                .apiKey(null)
                .agentApiKey(agentKey)
                .timeout(DEADLINE)
                .report(report)
                .tasks(3)
                .appArgs("--client", "send-string", "--family", "v1", "--stop-first", "true")
                .start()) {
      assertEquals(3, child.awaitReady(Scenario.READY_TIMEOUT), child.describe());
      assertTrue(child.stdout().contains("STOPPED 200"), child.describe());
      List<String> runs =
          child.stdout().stream()
              .filter(line -> line.startsWith("CREATED "))
              .map(line -> line.substring("CREATED ".length()))
              .toList();
      assertEquals(3, runs.size(), child.describe());

      child.signal("TERM");
      child.awaitExit(Duration.ofSeconds(60));

      AgentReport parsed = AgentReport.read(report);
      assertEquals(
          Set.of("v1/" + runs.get(1), "v1/" + runs.get(2)),
          parsed.tasks().stream().map(AgentReport.Entry::id).collect(Collectors.toSet()),
          "the app's own cancel deregistered the first: " + parsed.raw());
      for (AgentReport.Entry entry : parsed.tasks()) {
        assertEquals("STOPPED", entry.outcome(), entry.toString());
        assertEquals("tracking", entry.found(), entry.toString());
      }
      for (String run : runs) {
        TaskView view = emulator.task(run).orElseThrow();
        assertEquals("cancelled", view.status(), child.describe());
        assertEquals(1, view.successfulStops(), "nobody cancelled a run twice: " + view);
      }
    }
  }

  private static String[] concat(String command, String[] options, String... operands) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(List.of(options));
    all.add("--");
    all.addAll(List.of(operands));
    return all.toArray(String[]::new);
  }
}
