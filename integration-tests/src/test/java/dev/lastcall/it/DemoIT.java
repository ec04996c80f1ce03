package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's own logic, in-process and with fewer tasks than its default 300: over HTTPS with
 * HTTP/2, as the README's first command runs it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DemoIT {
  private static final Pattern KEY = Pattern.compile("bb_[0-9a-fA-F]{8,}");

  @Test
  void demoStopsEveryTaskAndSaysSo() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      code =
          Demo.run(
              new String[] {
                "--agent",
                AgentJvm.agentJarSnapshot().toString(),
                "--tasks",
                "25",
                "--timeout",
                "5s"
              },
              out);
    }
    String output = buffer.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, output);
    assertTrue(output.contains("25 stopped, 0 still running"), output);
    assertTrue(output.lines().anyMatch(l -> l.contains("app stderr | lastcall: ")), output);
    // Over HTTPS, and every request of the agent's came as an h2 stream (the emulator's counts).
    assertTrue(output.contains("  emulator   https://127.0.0.1:"), output);
    assertTrue(
        output.lines().anyMatch(l -> l.matches("  agent protocol +HTTP/2 over TLS \\(h2\\): .*")),
        output);
    assertFalse(KEY.matcher(output).find(), "the demo printed something that looks like a key");
  }

  @Test
  void missingAgentJarIsAClearMessageAndExitCode2() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      code = Demo.run(new String[] {"--agent", "/nonexistent/lastcall-agent.jar"}, out);
    }
    String output = buffer.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, output);
    assertTrue(output.contains("cannot find the agent jar"), output);
    assertTrue(output.contains("--agent"), output);
  }
}
