package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lastcall.emulator.Emulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code java -jar lastcall-agent.jar attach PID}, run as a real process against a real JVM started
 * without the agent, whose tasks were registered before the attach; then a real SIGTERM. Asserted
 * on the emulator (every task stopped), in the report (every task, with how it was found) and in
 * the command's exit code and one line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AttachIT {
  private static final int TASKS = 4;

  @TempDir Path dir;

  /** The running application an attach finds. */
  enum Target {
    /** SampleApp, the api on the class path: the agent's jar joins the system loader's copy. */
    PLAIN_APP("api"),
    /**
     * A Spring Boot fat jar, the api nested in BOOT-INF/lib: its copy, loaded by Boot's class
     * loader before the agent existed, kept its own registrations; the attach joins them.
     */
    SPRING_BOOT_FAT_JAR("joined");

    final String found;

    Target(String found) {
      this.found = found;
    }

    AgentJvm app(Emulator emulator, String key) {
      AgentJvm app =
          AgentJvm.sampleApp().withoutAgent().baseUrl(emulator.baseUrl()).apiKey(key).tasks(TASKS);
      return this == PLAIN_APP
          ? app
          : app.jar(AgentJvm.springAppJar()).appArgs("--mode", "register");
    }
  }

  private static JournalJvms.Cli attach(String key, ChildJvm target, String... options)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("attach", Long.toString(target.pid())));
    args.addAll(List.of(options));
    JournalJvms.Cli cli =
        JournalJvms.cli(Map.of("BLACKBOX_API_KEY", key), args.toArray(String[]::new));
    SecretScan.trackText(key, "attach's output", cli.describe());
    return cli;
  }

  private String[] agentOptions(Emulator emulator, Path report) {
    return new String[] {
      "--baseUrl", emulator.baseUrl(), "--timeout", "5s", "--report", report.toString()
    };
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Target.class)
  void tasksRegisteredBeforeTheAttachAreStoppedAtSigterm(Target target) throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        ChildJvm app = target.app(emulator, key).start()) {
      assertEquals(TASKS, app.awaitReady(Scenario.READY_TIMEOUT), app.describe());

      JournalJvms.Cli cli = attach(key, app, agentOptions(emulator, report));

      assertEquals(0, cli.exitCode(), cli.describe() + "\n" + app.describe());
      assertEquals(1, cli.stdout().size(), "one line: " + cli.describe());
      String line = cli.stdout().get(0);
      assertTrue(line.contains(TASKS + " tasks registered"), line);
      if (target == Target.SPRING_BOOT_FAT_JAR) {
        assertTrue(line.contains("(" + TASKS + " joined from 1 other class loader's"), line);
      }
      boolean jep451 = Runtime.version().feature() >= 21;
      assertEquals(jep451, line.contains("-XX:+EnableDynamicAgentLoading"), line);

      app.signal("TERM");
      app.awaitExit(Duration.ofSeconds(60));

      assertEquals(Map.of("stopped", (long) TASKS), emulator.countsByStatus(), app.describe());
      AgentReport parsed = AgentReport.read(report);
      assertEquals(TASKS, parsed.tasks().size(), parsed.raw());
      for (AgentReport.Entry task : parsed.tasks()) {
        assertEquals("STOPPED", task.outcome(), parsed.raw());
        assertEquals(target.found, task.found(), parsed.raw());
      }
      assertEquals(
          jep451,
          app.stderr().stream()
              .anyMatch(l -> l.contains("A Java agent has been loaded dynamically")),
          app.describe());
    }
  }

  /** How the agent was already there when a second attach came. */
  enum AlreadyBy {
    ATTACH,
    JAVAAGENT
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(AlreadyBy.class)
  void aSecondAttachSaysSoAndChangesNothing(AlreadyBy already) throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    Path otherReport = dir.resolve("other.json");
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10))) {
      AgentJvm launch = Target.PLAIN_APP.app(emulator, key);
      if (already == AlreadyBy.JAVAAGENT) {
        launch =
            AgentJvm.sampleApp()
                .baseUrl(emulator.baseUrl())
                .apiKey(key)
                .tasks(TASKS)
                .timeout("5s")
                .report(report);
      }
      try (ChildJvm app = launch.start()) {
        assertEquals(TASKS, app.awaitReady(Scenario.READY_TIMEOUT), app.describe());
        if (already == AlreadyBy.ATTACH) {
          assertEquals(0, attach(key, app, agentOptions(emulator, report)).exitCode());
        }

        // Another report and tracking off: had anything been applied, the report would move.
        JournalJvms.Cli second =
            attach(
                key,
                app,
                "--baseUrl",
                emulator.baseUrl(),
                "--report",
                otherReport.toString(),
                "--track",
                "off");

        assertEquals(5, second.exitCode(), second.describe());
        assertEquals(List.of(), second.stdout(), second.describe());
        assertEquals(1, second.stderr().size(), second.describe());
        assertTrue(
            second
                .stderr()
                .get(0)
                .contains(
                    "already in JVM "
                        + app.pid()
                        + (already == AlreadyBy.ATTACH
                            ? " (attached earlier)"
                            : " (started with -javaagent)")
                        + "; nothing was changed"),
            second.describe());

        app.signal("TERM");
        app.awaitExit(Duration.ofSeconds(60));

        assertEquals(Map.of("stopped", (long) TASKS), emulator.countsByStatus(), app.describe());
        assertEquals(TASKS, AgentReport.read(report).tasks().size());
        assertTrue(!otherReport.toFile().exists(), "the second attach's report was never set");
        long summaries =
            app.stderr().stream().filter(l -> l.contains("tasks at shutdown, handled in")).count();
        assertEquals(1, summaries, "one agent, one hook: " + app.describe());
        assertTrue(
            app.stderr().stream().noneMatch(l -> l.contains("attached more than once")),
            "refused before loading: " + app.describe());
      }
    }
  }

  @Test
  void noSuchProcessIsOneClearMessage() throws Exception {
    JournalJvms.Cli cli = JournalJvms.cli(Map.of(), "attach", "999999999");
    assertEquals(4, cli.exitCode(), cli.describe());
    assertEquals(
        List.of("lastcall: no process with id 999999999; give the pid of a running JVM (see jps)"),
        cli.stderr());
  }

  @Test
  void aProcessThatIsNoJvmIsNamedAtOnce() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "120").start();
    try {
      JournalJvms.Cli cli = JournalJvms.cli(Map.of(), "attach", Long.toString(sleep.pid()));
      assertEquals(4, cli.exitCode(), cli.describe());
      assertEquals(1, cli.stderr().size(), cli.describe());
      assertTrue(
          cli.stderr().get(0).contains("is not a Java virtual machine (no libjvm in it)"),
          cli.describe());
    } finally {
      sleep.destroy();
    }
  }

  @Test
  void aJvmThatForbidsDynamicAgentsIsNamedAndLeftAlone() throws Exception {
    assumeTrue(
        Runtime.version().feature() >= 21, "-XX:-EnableDynamicAgentLoading exists from JDK 21");
    String key = AgentJvm.randomKey();
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        ChildJvm app =
            Target.PLAIN_APP
                .app(emulator, key)
                .jvmOption("-XX:-EnableDynamicAgentLoading")
                .start()) {
      assertEquals(TASKS, app.awaitReady(Scenario.READY_TIMEOUT), app.describe());

      JournalJvms.Cli cli = attach(key, app, "--baseUrl", emulator.baseUrl());

      assertEquals(4, cli.exitCode(), cli.describe());
      assertEquals(1, cli.stderr().size(), cli.describe());
      assertTrue(
          cli.stderr().get(0).contains("was started with -XX:-EnableDynamicAgentLoading"),
          cli.describe());
      app.signal("TERM");
      app.awaitExit(Duration.ofSeconds(60));
      assertEquals(
          Map.of("processing", (long) TASKS), emulator.countsByStatus(), "no agent: none stopped");
    }
  }

  /**
   * A real JVM of another user: run as root (as CI is), the app is started as {@code nobody}; the
   * command run as {@code daemon} is refused with the owner named, and run as root (which a JVM
   * accepts) it attaches, handing the key over in a file made that user's, the only way the agent
   * gets it here.
   */
  @Test
  void anotherUsersJvmIsNamedAndRootMayAttachWithTheKeyHandedToThatUser() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to switch users");
    assumeTrue(Files.isExecutable(Path.of(SETPRIV)), "needs " + SETPRIV);
    String key = AgentJvm.randomKey();
    // Not under @TempDir, which only its owner may enter.
    Path report = Files.createTempDirectory("lastcall-attach-it").resolve("report.json");
    Files.setPosixFilePermissions(
        report.getParent(), PosixFilePermissions.fromString("rwxrwxrwx")); // nobody writes it
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        ChildJvm app =
            Target.SPRING_BOOT_FAT_JAR
                .app(emulator, null) // no BLACKBOX_API_KEY in the app: only the hand-over has it
                .env("APP_API_KEY", key)
                .launchedBy(SETPRIV, "--reuid=nobody", "--regid=nogroup", "--clear-groups")
                .start()) {
      SecretScan.track(key, app, report);
      assertEquals(TASKS, app.awaitReady(Scenario.READY_TIMEOUT), app.describe());

      List<String> asDaemon =
          new ArrayList<>(List.of(SETPRIV, "--reuid=daemon", "--regid=daemon", "--clear-groups"));
      asDaemon.addAll(
          List.of(
              ChildJvm.currentJava(),
              "-jar",
              AgentJvm.agentJarSnapshot().toString(),
              "attach",
              Long.toString(app.pid())));
      try (ChildJvm refused =
          OutputOnFailure.watch(ChildJvm.start(asDaemon, Map.of(), null, null))) {
        assertEquals(4, refused.awaitExit(Duration.ofSeconds(30)), refused.describe());
        assertEquals(
            List.of(
                "lastcall: process "
                    + app.pid()
                    + " belongs to user nobody, not to daemon; a JVM accepts attach only from its"
                    + " own user: run this command as nobody (for example sudo -u nobody java -jar"
                    + " lastcall-agent.jar attach "
                    + app.pid()
                    + ")"),
            refused.stderr());
      }

      JournalJvms.Cli asRoot = attach(key, app, agentOptions(emulator, report));
      assertEquals(0, asRoot.exitCode(), asRoot.describe() + "\n" + app.describe());

      app.signal("TERM");
      app.awaitExit(Duration.ofSeconds(60));
      // Stopped: the agent, run as nobody, read the key from the file handed over to nobody (the
      // app's environment has no BLACKBOX_API_KEY; without the key the command exits 3).
      assertEquals(Map.of("stopped", (long) TASKS), emulator.countsByStatus(), app.describe());
      assertEquals(TASKS, AgentReport.read(report).tasks().size());
    } finally {
      Files.deleteIfExists(report);
      Files.deleteIfExists(report.getParent());
    }
  }

  private static final String SETPRIV = "/usr/bin/setpriv";
}
