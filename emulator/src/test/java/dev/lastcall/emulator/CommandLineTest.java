package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Flag parsing and the launch path, in-process. */
class CommandLineTest {

  private static String message(String... args) {
    return assertThrows(UsageException.class, () -> CommandLine.parse(args)).getMessage();
  }

  @Test
  void badValuesNameTheFlagTheValueAndWhatIsAccepted() {
    String port = message("--port", "abc");
    assertTrue(
        port.contains("--port") && port.contains("'abc'") && port.contains("0 to 65535"), port);
    assertTrue(message("--port", "70000").contains("'70000'"));
    String rate = message("--error-rate=1.5");
    assertTrue(
        rate.contains("--error-rate") && rate.contains("'1.5'") && rate.contains("0 to 1"), rate);
    assertTrue(message("--latency-ms", "-5").contains("milliseconds"));
    assertTrue(message("--frobnicate", "1").contains("'--frobnicate'"));
    assertTrue(message("--port").contains("missing value"));
    String key = message("--api-key", "bb_with space");
    assertFalse(key.contains("bb_with"), "a key is never echoed: " + key);
    String agentKey = message("--agent-api-key", "sk-with space");
    assertFalse(agentKey.contains("sk-with"), "a key is never echoed: " + agentKey);
    assertTrue(agentKey.contains("sk-..."), agentKey);
  }

  @Test
  void helpIsRecognised() throws Exception {
    assertTrue(CommandLine.parse("--help").help());
    assertTrue(CommandLine.parse("--port", "1", "--help").help());
  }

  @Test
  void goodFlagsConfigureTheEmulator() throws Exception {
    CommandLine.Parsed parsed =
        CommandLine.parse(
            "--port",
            "0",
            "--host=127.0.0.1",
            "--api-key",
            "bb_one",
            "--api-key",
            "bb_two",
            "--agent-api-key",
            "sk-one",
            "--pending-ms",
            "0",
            "--processing-ms",
            "5000",
            "--saving-ms",
            "10",
            "--latency-ms",
            "20",
            "--error-rate",
            "0",
            "--hang-rate",
            "0",
            "--rate-limit-rate",
            "0.25",
            "--retry-after-s",
            "3",
            "--fail-first",
            "1",
            "--rate-limit-first",
            "2",
            "--seed",
            "7");
    assertFalse(parsed.help());
    try (Emulator emu = parsed.builder().start()) {
      assertEquals(
          Faults.builder()
              .latency(Duration.ofMillis(20))
              .rateLimitRate(0.25)
              .retryAfter(Duration.ofSeconds(3))
              .failFirst(1)
              .rateLimitFirst(2)
              .build(),
          emu.faults());
      assertTrue(emu.baseUrl().startsWith("http://127.0.0.1:"));
      emu.createTask("bb_two", "accepted");
      assertThrows(IllegalArgumentException.class, () -> emu.createTask("bb_three", "refused"));
      emu.createRun("sk-one", "accepted");
      assertThrows(IllegalArgumentException.class, () -> emu.createRun("sk-two", "refused"));
      assertEquals("processing", emu.tasks().get(0).status());
    }
  }

  @Test
  void launchPrintsOneLineOrExits2() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    EmulatorMain.Launch bad =
        EmulatorMain.launch(
            new String[] {"--hang-rate", "lots"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertNull(bad.emulator());
    assertEquals(2, bad.exitCode());
    String[] lines = err.toString(StandardCharsets.UTF_8).split("\\R");
    assertEquals(
        "lastcall-emulator: --hang-rate: invalid value 'lots'; expected a number from 0 to 1",
        lines[0]);
    assertTrue(lines[1].startsWith("Usage:"));
    assertEquals("", out.toString(StandardCharsets.UTF_8));

    ByteArrayOutputStream help = new ByteArrayOutputStream();
    EmulatorMain.Launch helped =
        EmulatorMain.launch(
            new String[] {"--help"},
            new PrintStream(help, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, helped.exitCode());
    assertTrue(help.toString(StandardCharsets.UTF_8).startsWith("Usage:"));

    ByteArrayOutputStream started = new ByteArrayOutputStream();
    EmulatorMain.Launch good =
        EmulatorMain.launch(
            new String[] {"--port", "0"},
            new PrintStream(started, true, StandardCharsets.UTF_8),
            System.err);
    assertNotNull(good.emulator());
    try {
      assertEquals(
          "lastcall-emulator listening on " + good.emulator().baseUrl() + System.lineSeparator(),
          started.toString(StandardCharsets.UTF_8));
    } finally {
      good.emulator().close();
    }
  }
}
