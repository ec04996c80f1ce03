package dev.lastcall.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.agent.attach.AttachProtocol;
import dev.lastcall.agent.attach.KeyHandoff;
import dev.lastcall.agent.config.Key;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code attach} without a target: its arguments, the agent arguments it builds, the key's
 * hand-over file, and every message it can print (the real attach runs in AttachIT). The other
 * user's JVM is tested here only: the tests cannot start a process as another user.
 */
class AttachCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CommandLine.run(
        args,
        new Properties(),
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void thePidMustBeOnePositiveNumber() {
    assertEquals(ExitCode.USAGE, run("attach"));
    assertTrue(err().contains("attach needs exactly one process id, as: attach PID"), err());
    err.reset();
    assertEquals(ExitCode.USAGE, run("attach", "java"));
    assertTrue(err().contains("a positive whole number such as 12345 (see jps), but got \"java\""));
    err.reset();
    assertEquals(ExitCode.USAGE, run("attach", "12", "13"));
  }

  @Test
  void optionsAreCheckedAsForTheAgentAndEnabledIsRefused() {
    assertEquals(ExitCode.USAGE, run("attach", "123", "--track", "sometimes"));
    assertTrue(err().contains("invalid --track \"sometimes\""), err());
    err.reset();
    assertEquals(ExitCode.USAGE, run("attach", "123", "--enabled", "false"));
    assertTrue(err().contains("unknown option \"--enabled\""), err());
    err.reset();
    assertEquals(ExitCode.USAGE, run("cancel", "--track", "off", "abc"));
    assertTrue(err().contains("track is a setting of the agent inside an app"), err());
  }

  @Test
  void theAgentArgumentsCarryTheOptionsWithAbsolutePathsAndNoKey() throws UsageException {
    CliArguments parsed =
        CliArguments.parse(
            new String[] {
              "attach",
              "4242",
              "--timeout",
              "5s",
              "--report",
              "out/r.json",
              "--track=off",
              "--apiKeyFile",
              "/etc/key",
              "--allowInsecure"
            });
    assertEquals(List.of("4242"), parsed.operands());
    assertEquals(4242L, AttachCommand.pid(parsed.operands()));
    assertEquals(
        "allowInsecure=true,timeout=5s,report=/work/dir/out/r.json,apiKeyFile=/etc/key,track=off",
        AttachCommand.agentArguments(parsed.options(), Path.of("/work/dir")));
  }

  @Test
  void aValueWithACommaCannotTravelAsAnAgentArgument() {
    UsageException e =
        assertThrows(
            UsageException.class,
            () -> AttachCommand.agentArguments(Map.of(Key.REPORT, "/tmp/a,b.json"), Path.of("/")));
    assertTrue(e.getMessage().contains("holds a comma"), e.getMessage());
  }

  @Test
  void noSuchProcessIsOneClearLine() {
    // Above Linux's largest pid_max (4194304): names no process.
    assertEquals(ExitCode.NOT_ATTACHED, run("attach", "999999999"));
    assertEquals(
        "lastcall: no process with id 999999999; give the pid of a running JVM (see jps)\n", err());
  }

  @Test
  void anotherUsersJvmNamesTheOwnerAndWhatToRun() {
    assertEquals(
        "lastcall: process 77 belongs to user alice, not to bob; a JVM accepts attach only from"
            + " its own user: run this command as alice (for example sudo -u alice java -jar"
            + " lastcall-agent.jar attach 77)",
        AttachLine.otherUser(77, "alice", "bob").orElseThrow());
    assertTrue(AttachLine.otherUser(77, "alice", "alice").isEmpty());
    assertTrue(AttachLine.otherUser(77, "alice", "root").isEmpty(), "root may attach");
    assertTrue(AttachLine.otherUser(77, null, "bob").isEmpty(), "owner unknown: let attach say");
  }

  @Test
  void theAttachedLineSaysWhatWasFoundAndExplainsTheJdk21Warning() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(AttachProtocol.ENABLED, "true");
    facts.put(AttachProtocol.REGISTRIES, "1");
    facts.put(AttachProtocol.JOINED, "3");
    facts.put(AttachProtocol.TASKS, "4");
    facts.put(AttachProtocol.TRACK, "auto");
    facts.put(AttachProtocol.KEY, "found");
    Map<String, String> parsed = AttachProtocol.parse(AttachProtocol.render(facts));
    assertEquals(facts, parsed);

    String on17 = AttachLine.attached(9, parsed, 17, "");
    assertEquals(
        "lastcall: attached to JVM 9 (Java 17): 4 tasks registered (3 joined from 1 other class"
            + " loader's registry); tracking on: tasks the app creates from now on are found too;"
            + " every registered task is cancelled when it stops",
        on17);
    String on25 = AttachLine.attached(9, parsed, 25, "-Xmx1g");
    assertTrue(on25.startsWith(on17.replace("Java 17", "Java 25")), on25);
    assertTrue(
        on25.contains("A Java agent has been loaded dynamically")
            && on25.contains("-XX:+EnableDynamicAgentLoading"),
        on25);
    assertFalse(
        AttachLine.attached(9, parsed, 25, "-XX:+EnableDynamicAgentLoading").contains("JEP 451"),
        "no warning was printed");
    assertFalse(on25.contains("\n"), "one line");
    assertTrue(AttachLine.keyProblem(9, parsed).isEmpty());
    facts.put(AttachProtocol.KEY, "missing");
    assertTrue(AttachLine.keyProblem(9, facts).orElseThrow().contains("has no API key"));
  }

  @Test
  void theRefusalsAreOneLineEach() {
    assertEquals(
        "lastcall: the Lastcall agent is already in JVM 5 (started with -javaagent); nothing was"
            + " changed",
        AttachLine.alreadyLoaded(5, "premain"));
    assertTrue(AttachLine.alreadyLoaded(5, "attach").contains("attached earlier"));
    assertTrue(
        AttachLine.dynamicLoadingDisabled(5)
            .contains("started with -XX:-EnableDynamicAgentLoading"));
    assertEquals(
        "lastcall: no process with id 5; give the pid of a running JVM (see jps)",
        AttachLine.noProcess(5));
    assertEquals(21, AttachCommand.javaVersion("21"));
    assertEquals(0, AttachCommand.javaVersion(null));
  }

  @Test
  void theKeyFileIsOwnerOnlyAndGoneOnceRead() throws Exception {
    Path file = KeyHandoff.write("bb_secret");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    assertEquals("bb_secret", KeyHandoff.take(file));
    assertFalse(Files.exists(file));
    assertFalse(Files.exists(file.getParent()));
  }
}
