package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.TaskView;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code java -jar lastcall-agent.jar}: real runs of the jar against the emulator; asserts exit
 * codes and the emulator's state.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AgentCliIT {
  @TempDir Path dir;

  @Test
  void usageVersionAndUsageErrors() throws Exception {
    JournalJvms.Cli bare = JournalJvms.cli(Map.of());
    assertEquals(0, bare.exitCode(), bare.describe());
    assertTrue(bare.stdout().get(0).startsWith("Lastcall agent 0."), bare.describe());
    assertTrue(String.join("\n", bare.stdout()).contains("Exit codes"), bare.describe());

    JournalJvms.Cli version = JournalJvms.cli(Map.of(), "--version");
    assertEquals(0, version.exitCode());
    assertEquals(bare.stdout().get(0), version.stdout().get(0));

    JournalJvms.Cli bad = JournalJvms.cli(Map.of(), "cancel", "--timeout", "soon", "abc");
    assertEquals(2, bad.exitCode(), bad.describe());
    assertEquals(1, bad.stderr().size(), bad.describe());
    assertTrue(
        bad.stderr().get(0).contains("--timeout") && bad.stderr().get(0).contains("expected"),
        bad.describe());

    JournalJvms.Cli noKey = JournalJvms.cli(Map.of(), "cancel", "abc");
    assertEquals(3, noKey.exitCode(), noKey.describe());
    OutputOnFailure.note(
        "[it] java -jar lastcall-agent.jar: usage %d ms, --version %d ms, usage error %d ms, no key"
            + " %d ms",
        bare.ms(), version.ms(), bad.ms(), noKey.ms());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void cancelAndStatusAgainstTheApi(Transport transport) throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator = JournalJvms.emulator(transport, key)) {
      List<String> trust = EmulatorTrust.jvmOptions(emulator, dir);
      String a = emulator.createTask(key, "a");
      String b = emulator.createTask(key, "b");
      String c = emulator.createTask(key, "c");
      Map<String, String> env = Map.of("BLACKBOX_API_KEY", key);
      Path report = dir.resolve("report.json");

      JournalJvms.Cli cancel =
          JournalJvms.cli(
              trust,
              env,
              "cancel",
              "--baseUrl",
              emulator.baseUrl(),
              "--timeout=5s",
              "--report",
              report.toString(),
              "--", // the emulator's ids, like the API's, may start with '-'
              a,
              b);
      assertEquals(0, cancel.exitCode(), cancel.describe());
      assertEquals("stopped", status(emulator, a));
      assertEquals("stopped", status(emulator, b));
      assertEquals("processing", status(emulator, c));
      AgentReport parsed = AgentReport.read(report);
      assertEquals(2L, parsed.counts().get("STOPPED"), "report: " + Files.readString(report));
      assertFalse(Files.readString(report).contains(key), "the report must not hold the key");
      assertTrue(String.join("\n", cancel.stdout()).contains("2 stopped"), cancel.describe());

      JournalJvms.Cli status =
          JournalJvms.cli(trust, env, "status", "--baseUrl", emulator.baseUrl(), "--", a, c);
      assertEquals(0, status.exitCode(), status.describe());
      assertTrue(status.stdout().get(0).startsWith(a + "  stopped"), status.describe());
      assertTrue(status.stdout().get(1).startsWith(c + "  processing"), status.describe());

      JournalJvms.Cli missing =
          JournalJvms.cli(trust, env, "cancel", "noSuchTask", "--baseUrl", emulator.baseUrl());
      assertEquals(1, missing.exitCode(), missing.describe());

      JournalJvms.Cli refused =
          JournalJvms.cli(
              trust,
              Map.of("BLACKBOX_API_KEY", AgentJvm.randomKey()),
              "cancel",
              "--baseUrl",
              emulator.baseUrl(),
              "--",
              c);
      assertEquals(3, refused.exitCode(), refused.describe());
      assertEquals("processing", status(emulator, c));
      // Every request was the command line's: the tasks were made in-process.
      Scenario.assertTransport("cancel and status", transport, emulator, Scenario.Traffic.NONE);
      OutputOnFailure.note(
          "[it] java -jar lastcall-agent.jar: cancel %d ms, status %d ms, not found %d ms,"
              + " refused key %d ms",
          cancel.ms(), status.ms(), missing.ms(), refused.ms());
    }
  }

  @SuppressWarnings("try") // the resource is held for its effect, not used
  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void sweepCancelsDeadJournalsAndLeavesLiveOnesAlone(Transport transport) throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator = JournalJvms.emulator(transport, key)) {
      String orphan = emulator.createTask(key, "left by a killed JVM");
      String released = emulator.createTask(key, "released before the kill");
      String owned = emulator.createTask(key, "owned by a running JVM");
      Path journal = Files.createDirectory(dir.resolve("journal"));
      // As a SIGKILLed JVM leaves it: a journal with a torn last record and an unlocked lock file.
      Files.writeString(
          journal.resolve("lastcall-1-dead.journal"),
          "lastcall-journal 1 pid=1\n+" + orphan + "\n+" + released + "\n-" + released + "\n+half");
      Files.writeString(journal.resolve("lastcall-1-dead.lock"), "");
      // A running JVM's: this test process holds the lock, as the agent does for its whole life.
      Path liveJournal = journal.resolve("lastcall-2-live.journal");
      Files.writeString(liveJournal, "lastcall-journal 1 pid=2\n+" + owned + "\n");
      try (FileChannel channel =
              FileChannel.open(
                  journal.resolve("lastcall-2-live.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock held = channel.lock()) {
        JournalJvms.Cli sweep =
            JournalJvms.cli(
                EmulatorTrust.jvmOptions(emulator, dir),
                Map.of("BLACKBOX_API_KEY", key),
                "sweep",
                "--journal",
                journal.toString(),
                "--baseUrl",
                emulator.baseUrl(),
                "--timeout",
                "5s");
        assertEquals(0, sweep.exitCode(), sweep.describe());
        assertEquals("stopped", status(emulator, orphan));
        assertEquals("processing", status(emulator, released));
        assertEquals("processing", status(emulator, owned), "a live JVM's task was cancelled");
        assertFalse(Files.exists(journal.resolve("lastcall-1-dead.journal")));
        assertFalse(Files.exists(journal.resolve("lastcall-1-dead.lock")));
        assertEquals("lastcall-journal 1 pid=2\n+" + owned + "\n", Files.readString(liveJournal));
        assertTrue(sweep.stdout().get(0).contains("1 journal in use"), sweep.describe());
        OutputOnFailure.note(
            "[it] java -jar lastcall-agent.jar sweep: %s (%d ms)",
            sweep.stdout().get(0), sweep.ms());
      }
      Scenario.assertTransport("sweep", transport, emulator, Scenario.Traffic.NONE);
    }
  }

  private static String status(Emulator emulator, String id) {
    return emulator.task(id).map(TaskView::status).orElse("missing");
  }
}
