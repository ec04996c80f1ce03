package dev.lastcall.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without the network: parsing, usage errors, exit codes 0, 2 and 3. */
class CommandLineTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return CommandLine.run(
        args,
        new Properties(),
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void noArgumentsPrintsUsageAndVersion() {
    assertEquals(0, run(Map.of()));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("Lastcall agent "), text);
    assertTrue(text.contains("sweep --journal DIR") && text.contains("Exit codes"), text);
  }

  @Test
  void usageErrorsAreOneLineNamingWhatIsAccepted() {
    assertUsage("unknown command \"frobnicate\"; accepted: sweep, cancel, status", "frobnicate");
    assertUsage(
        "unknown option \"--apiKey\"; accepted: --baseUrl", "cancel", "--apiKey", "x", "abc");
    assertUsage("cancel needs at least one task id", "cancel");
    assertUsage("task id \"a/b\" contains '/'", "cancel", "a/b");
    assertUsage(
        "invalid --timeout \"soon\": expected a positive duration",
        "cancel",
        "--timeout",
        "soon",
        "abc");
    assertUsage("--timeout needs a value", "status", "abc", "--timeout");
    assertUsage("sweep needs the journal directory", "sweep");
    assertUsage("is not a directory", "sweep", "--journal", dir.resolve("missing").toString());
    assertUsage(
        "invalid --baseUrl \"ftp://x\": expected an http or https URL",
        "status",
        "--baseUrl=ftp://x",
        "a");
  }

  private void assertUsage(String expected, String... args) {
    err.reset();
    assertEquals(2, run(Map.of("BLACKBOX_API_KEY", "bb_test"), args), err());
    String text = err();
    assertEquals(1, text.lines().count(), "one line: " + text);
    assertTrue(text.contains(expected), "expected '" + expected + "' in: " + text);
    assertTrue(!text.contains("; using"), text);
  }

  @Test
  void noApiKeyIsExitCode3() {
    assertEquals(3, run(Map.of(), "cancel", "abc"));
    assertTrue(err().contains("BLACKBOX_API_KEY"), err());
  }
}
