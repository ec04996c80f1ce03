package dev.lastcall.agent.shutdown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.TaskRegistry;
import dev.lastcall.agent.AgentLogCapture;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.agent.registry.SharedRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent that a refused baseUrl disabled still says what it leaves running at shutdown. */
class DisabledShutdownTest {
  @TempDir Path dir;

  @AfterEach
  void deregister() {
    for (String id : TaskRegistry.global().snapshot()) {
      TaskRegistry.global().deregister(id);
    }
  }

  /** This test's lines: a line of an earlier test's background thread may land here too. */
  private static List<String> disabledLines() {
    return AgentLogCapture.lines().stream()
        .filter(line -> line.startsWith("the agent is disabled"))
        .toList();
  }

  private AgentConfig disabled(String extraArgs) {
    AgentConfig config =
        ConfigLoader.load(
            "baseUrl=ftp://tasks.example.com" + extraArgs, new Properties(), Map.of(), p -> {});
    assertFalse(config.enabled());
    assertTrue(config.disabledBecause().isPresent());
    return config;
  }

  @Test
  void namesHowManyTasksItLeavesRunningAndWhyAndReportsThemFailed() throws Exception {
    Path report = dir.resolve("report.json");
    AgentConfig config = disabled(",report=" + report);
    TaskRegistry.global().register("d-1");
    TaskRegistry.global().register("d-2");

    new DisabledShutdown(config, SharedRegistry.connect()).run();

    List<String> lines = disabledLines();
    assertEquals(1, lines.size(), lines.toString());
    String why = config.disabledBecause().orElseThrow();
    assertEquals(
        "the agent is disabled and leaves 2 tasks registered at shutdown running: " + why,
        lines.get(0));
    String json = Files.readString(report);
    assertTrue(json.contains("\"FAILED\":2"), json);
    for (String id : List.of("d-1", "d-2")) {
      assertTrue(
          json.contains(
              "{\"id\":\""
                  + id
                  + "\",\"family\":\"cloud\",\"outcome\":\"FAILED\",\"httpStatus\":0,\"attempts\":0,\"ms\":0,\"detail\":\"not"
                  + " cancelled, the agent is disabled: baseUrl "),
          json);
    }
  }

  @Test
  void saysNothingAndWritesNoReportWhenNothingIsRegistered() {
    Path report = dir.resolve("report.json");
    new DisabledShutdown(disabled(",report=" + report), SharedRegistry.connect()).run();
    assertEquals(List.of(), disabledLines());
    assertFalse(Files.exists(report));
  }

  @Test
  void withoutAReportOnlyTheLine() {
    TaskRegistry.global().register("d-3");
    new DisabledShutdown(disabled(""), SharedRegistry.connect()).run();
    List<String> lines = disabledLines();
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("the agent is disabled and leaves 1 task "), lines.get(0));
  }
}
