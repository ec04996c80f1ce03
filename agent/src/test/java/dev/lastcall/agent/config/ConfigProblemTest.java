package dev.lastcall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Problems as data, and what a refused baseUrl leaves for the shutdown to say. */
class ConfigProblemTest {
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final Properties properties = new Properties();

  private AgentConfig load(String args, Map<String, String> env) {
    return ConfigLoader.load(args, properties, env, problems::add);
  }

  @Test
  void aRefusedValueNamesItsKeySourceValueAndWhy() {
    properties.setProperty("lastcall.concurrency", "many");
    load(null, Map.of("LASTCALL_TIMEOUT", "soon"));
    assertEquals(2, problems.size(), problems.toString());
    ConfigProblem concurrency = find(Key.CONCURRENCY);
    assertEquals(ConfigSource.SYSTEM_PROPERTY, concurrency.source());
    assertEquals("lastcall.concurrency", concurrency.name());
    assertEquals(Optional.of("many"), concurrency.value());
    assertEquals("expected a whole number from 1 to 4096", concurrency.message());
    assertTrue(concurrency.line().endsWith("; using 256"), concurrency.line());
    ConfigProblem timeout = find(Key.TIMEOUT);
    assertEquals(ConfigSource.ENVIRONMENT_VARIABLE, timeout.source());
    assertEquals("LASTCALL_TIMEOUT", timeout.name());
    assertTrue(timeout.message().startsWith("expected a positive duration"), timeout.message());
  }

  @Test
  void unknownAndSecretLookingNamesKeepNoValue() {
    String secret = "bb_0123456789abcdef0123456789abcdef";
    load("apiKey=" + secret + ",deadline=5s", Map.of());
    assertEquals(2, problems.size(), problems.toString());
    for (ConfigProblem problem : problems) {
      assertEquals(Optional.empty(), problem.key());
      assertEquals(Optional.empty(), problem.value());
      assertEquals(ConfigSource.AGENT_ARGUMENT, problem.source());
      assertFalse(problem.line().contains(secret), problem.line());
    }
  }

  @Test
  void aRefusedBaseUrlSaysWhyTheAgentIsDisabledAndKeepsTheReportPath() {
    AgentConfig config = load("baseUrl=ftp://x.example,report=/tmp/lastcall-r.json", Map.of());
    assertFalse(config.enabled());
    String why = config.disabledBecause().orElseThrow();
    assertTrue(
        why.startsWith(
            "baseUrl \"ftp://x.example\" (agent argument baseUrl) was refused: expected an http"),
        why);
    assertEquals(Path.of("/tmp/lastcall-r.json"), config.report().orElseThrow());
    assertEquals(Key.BASE_URL, problems.get(0).key().orElseThrow());
  }

  @Test
  void disabledOnRequestGivesNoReason() {
    assertEquals(Optional.empty(), load("enabled=false", Map.of()).disabledBecause());
    assertEquals(
        Optional.empty(), load("enabled=false,baseUrl=ftp://x", Map.of()).disabledBecause());
    assertEquals(Optional.empty(), load(null, Map.of()).disabledBecause());
  }

  @Test
  void aPasswordOrTokenInARefusedBaseUrlIsNeverShown() {
    AgentConfig config =
        load("baseUrl=https://me:hunter2pw@x.example/p?token=tok3n#frag", Map.of());
    String why = config.disabledBecause().orElseThrow();
    for (String shown : List.of(why, problems.get(0).line(), problems.get(0).value().get())) {
      assertFalse(shown.contains("hunter2pw"), shown);
      assertFalse(shown.contains("tok3n"), shown);
      assertTrue(shown.contains("https://...@x.example/p?..."), shown);
    }
  }

  @Test
  void asLinesHandsOverTheAgentsLines() {
    List<String> lines = new ArrayList<>();
    ConfigLoader.load("enabled=maybe", properties, Map.of(), ConfigProblem.asLines(lines::add));
    assertEquals(
        List.of(
            "invalid enabled \"maybe\" (agent argument enabled): expected true or false; using"
                + " true"),
        lines);
  }

  private ConfigProblem find(Key key) {
    for (ConfigProblem problem : problems) {
      if (problem.key().equals(Optional.of(key))) {
        return problem;
      }
    }
    throw new AssertionError("no problem with " + key + " in " + problems);
  }
}
