package dev.lastcall.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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
  void idsStartingWithADashFollowTheDoubleDash() throws UsageException {
    // API ids are URL-safe base64 and may start with '-'; after "--" they are operands.
    CliArguments parsed =
        CliArguments.parse(new String[] {"cancel", "--timeout=5s", "--", "-vKZQ8fx", "--report"});
    assertEquals("cancel", parsed.command());
    assertEquals(List.of("-vKZQ8fx", "--report"), parsed.operands());
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
    assertUsage("sweep needs the journal, as: sweep --journal DIR or --journal redis://", "sweep");
    assertUsage("is not a directory", "sweep", "--journal", dir.resolve("missing").toString());
    assertUsage("--every goes with --watch", "sweep", "--journal", dir.toString(), "--every", "5s");
    assertUsage(
        "invalid --every \"0s\": expected a positive duration",
        "sweep",
        "--watch",
        "--every",
        "0s",
        "--journal",
        dir.toString());
    assertUsage(
        "invalid --journal \"http://x\": expected a directory path (created if missing) or"
            + " redis://",
        "sweep",
        "--journal",
        "http://x");
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

  @Test
  void versionAndHelpAsWordsBehaveAsTheirOptions() {
    assertEquals(0, run(Map.of(), "--version"));
    String flag = out.toString(StandardCharsets.UTF_8);
    out.reset();
    assertEquals(0, run(Map.of(), "version"));
    assertEquals(flag, out.toString(StandardCharsets.UTF_8));
    assertTrue(flag.startsWith("Lastcall agent "), flag);
    out.reset();
    assertEquals(0, run(Map.of(), "help"));
    String help = out.toString(StandardCharsets.UTF_8);
    out.reset();
    assertEquals(0, run(Map.of(), "--help"));
    assertEquals(help, out.toString(StandardCharsets.UTF_8));
    assertTrue(help.contains("--allowInsecure alone means true"), help);
  }

  @Test
  void allowInsecureAloneMeansTrueAndNeverTakesTheNextWord() {
    String insecure = "http://tasks.example.com";
    assertUsage("clear text", "status", "--baseUrl", insecure, "abc");
    // Accepted, so the command gets as far as the missing key (3), not a usage error (2).
    err.reset();
    assertEquals(3, run(Map.of(), "status", "--allowInsecure", "--baseUrl", insecure, "abc"));
    err.reset();
    assertEquals(3, run(Map.of(), "status", "--baseUrl", insecure, "abc", "--allowInsecure"));
    assertUsage(
        "--allowInsecure takes no separate value (got \"false\"); write --allowInsecure for true"
            + " or --allowInsecure=false",
        "status",
        "--allowInsecure",
        "false",
        "abc");
    assertUsage("clear text", "status", "--allowInsecure=false", "--baseUrl", insecure, "abc");
  }

  @Test
  void agentOnlySettingsAreNamedAsSuch() {
    assertUsage(
        "unknown option \"--enabled\" (enabled is a setting of the agent inside an app",
        "cancel",
        "--enabled",
        "abc");
  }

  @Test
  void theNoKeyMessageFitsTheCommand() {
    assertEquals(3, run(Map.of(), "status", "abc"));
    assertTrue(err().contains("task statuses cannot be read without it"), err());
    err.reset();
    assertEquals(3, run(Map.of(), "cancel", "abc"));
    assertTrue(err().contains("tasks cannot be cancelled without it"), err());
  }

  @Test
  void cancelAndStatusLinesShareOneShape() {
    assertEquals(
        "abc  already_done  finished (2 requests, 5 ms)",
        TaskLine.render("abc", "ALREADY_DONE", "finished (2 requests, 5 ms)"));
    assertEquals("abc  processing  not done", TaskLine.render("abc", "processing", "not done"));
    assertEquals("abc  unknown  a b", TaskLine.render("abc", "unknown", "a\n\u001b b"));
  }
}
