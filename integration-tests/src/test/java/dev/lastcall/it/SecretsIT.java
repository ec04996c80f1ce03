package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.Faults;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key must not leak through anything a user or an operator could see. {@link SecretScan} scans
 * every child's output, report and every test exception in the module; this class adds the thread
 * dump of a child taken while the agent's hook is running, and checks the scan itself.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SecretsIT {
  @TempDir Path dir;

  @Test
  void aThreadDumpTakenWhileTheHookRunsHoldsNoKey() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    Path jcmd = Path.of(ChildJvm.currentJava()).resolveSibling("jcmd");
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10))) {
      AgentJvm app =
          AgentJvm.sampleApp()
              .baseUrl(emulator.baseUrl())
              .apiKey(key)
              .tasks(10)
              .timeout("5s")
              .report(report)
              .appArgs("--announce-shutdown");
      List<String> dump = new ArrayList<>();
      Scenario.Run run =
          Scenario.run(
              "thread dump during the hook",
              app,
              report,
              "TERM",
              child -> emulator.faults(Faults.builder().hangRate(1.0).build()),
              child -> {
                child.awaitStdoutLine("SHUTDOWN-STARTED", Duration.ofSeconds(10));
                Process p =
                    new ProcessBuilder(jcmd.toString(), Long.toString(child.pid()), "Thread.print")
                        .redirectErrorStream(true)
                        .start();
                dump.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jcmd did not finish");
              });
      String text = dump.get(0);
      SecretScan.trackText(key, "jcmd Thread.print of the child", text);
      Files.writeString(dir.resolve("thread-dump.txt"), text);
      assertTrue(
          text.contains("\"lastcall-shutdown\""),
          "the dump should show the agent's hook running:\n"
              + text.lines().limit(40).reduce("", (a, b) -> a + "\n" + b));
      assertEquals(143, run.exitCode(), run.described());
      Scenario.assertExitedByDeadline(run, 5_000);
      // The scan of the dump, the output and the report runs after this test (SecretScan).
      assertEquals(-1, SecretScan.findWindow(key, text), "the thread dump holds part of the key");
    }
  }

  @Test
  void theExtensionFailsATestWhoseOutputHoldsTheKey() throws Exception {
    String key = AgentJvm.randomKey();
    SecretScan.trackText(key, "a made-up log", "Authorization: Bearer " + key.substring(10, 30));
    AssertionError error =
        org.junit.jupiter.api.Assertions.assertThrows(
            AssertionError.class, () -> new SecretScan().afterEach(null));
    assertTrue(error.getMessage().contains("a made-up log"), error.getMessage());
    assertEquals(-1, SecretScan.findWindow(key, error.getMessage()), "the finding repeats the key");
    new SecretScan().afterEach(null); // drained: nothing left to find
  }

  @Test
  void theScanFindsAnyEightCharacterWindowOfTheKey() {
    String key = "bb_" + "0123456789abcdef".repeat(3);
    assertEquals(
        -1,
        SecretScan.findWindow(key, "nothing here, not even 0123456x"),
        "7 characters are not a leak");
    assertEquals(0, SecretScan.findWindow(key, "x 01234567 y"));
    assertEquals(4, SecretScan.findWindow(key, "...456789AB..."), "case does not hide it");
    assertEquals(5, SecretScan.findWindow(key, "Bearer 56789abc"));
    List<String> leaks = new ArrayList<>();
    SecretScan.check(key, "somewhere", "the key is " + key, leaks);
    assertEquals(1, leaks.size());
    assertTrue(!leaks.get(0).contains("01234567"), "the finding must not repeat the key: " + leaks);
  }
}
