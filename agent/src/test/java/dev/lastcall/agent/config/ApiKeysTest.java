package dev.lastcall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
  private static final String KEY = "bb_feedfacecafebeef0123456789";

  private static AgentConfig config(String args) {
    List<ConfigProblem> problems = new ArrayList<>();
    AgentConfig config = ConfigLoader.load(args, new Properties(), Map.of(), problems::add);
    assertEquals(List.of(), problems);
    return config;
  }

  @Test
  void fromTheEnvironment() throws Exception {
    assertEquals(KEY, ApiKeys.find(config(null), Map.of("BLACKBOX_API_KEY", " " + KEY + "\n")));
  }

  @Test
  void fromAFileWhenConfigured(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("key"), KEY + "\n");
    assertEquals(
        KEY, ApiKeys.find(config("apiKeyFile=" + file), Map.of("BLACKBOX_API_KEY", "bb_other")));
  }

  @Test
  void missingEverywhere() {
    ApiKeys.MissingApiKeyException e =
        assertThrows(
            ApiKeys.MissingApiKeyException.class, () -> ApiKeys.find(config(null), Map.of()));
    assertTrue(e.getMessage().contains("BLACKBOX_API_KEY is not set"), e.getMessage());
  }

  @Test
  void unreadableFileNamesThePathNotTheContent(@TempDir Path dir) {
    Path missing = dir.resolve("nope");
    ApiKeys.MissingApiKeyException e =
        assertThrows(
            ApiKeys.MissingApiKeyException.class,
            () -> ApiKeys.find(config("apiKeyFile=" + missing), Map.of("BLACKBOX_API_KEY", KEY)));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
  }

  @Test
  void aKeyWithSpacesIsRefusedWithoutBeingRepeated() {
    ApiKeys.MissingApiKeyException e =
        assertThrows(
            ApiKeys.MissingApiKeyException.class,
            () -> ApiKeys.find(config(null), Map.of("BLACKBOX_API_KEY", "bb_secret part")));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }

  @Test
  void theV1KeyFromItsOwnVariableOrFile(@TempDir Path dir) throws Exception {
    String agentKey = "sk-feedfacecafebeef0123456789";
    Map<String, String> env = Map.of("BLACKBOX_AGENT_API_KEY", agentKey + "\n");
    assertTrue(ApiKeys.hasAgentKey(config(null), env));
    assertEquals(agentKey, ApiKeys.findAgent(config(null), env));
    assertFalse(ApiKeys.hasAgentKey(config(null), Map.of("BLACKBOX_API_KEY", KEY)));
    Path file = Files.writeString(dir.resolve("agent-key"), "sk-fromfile\n");
    AgentConfig withFile = config("agentApiKeyFile=" + file);
    assertTrue(ApiKeys.hasAgentKey(withFile, Map.of()));
    assertEquals("sk-fromfile", ApiKeys.findAgent(withFile, env));
  }

  @Test
  void aRefusedV1KeyNamesItsSourceNotTheValue(@TempDir Path dir) {
    ApiKeys.MissingApiKeyException e =
        assertThrows(
            ApiKeys.MissingApiKeyException.class,
            () ->
                ApiKeys.findAgent(
                    config(null), Map.of("BLACKBOX_AGENT_API_KEY", "sk-secret part")));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    assertTrue(e.getMessage().startsWith("BLACKBOX_AGENT_API_KEY holds"), e.getMessage());
    assertTrue(e.getMessage().contains("(sk-...)"), e.getMessage());
    Path missing = dir.resolve("nope");
    ApiKeys.MissingApiKeyException unreadable =
        assertThrows(
            ApiKeys.MissingApiKeyException.class,
            () -> ApiKeys.findAgent(config("agentApiKeyFile=" + missing), Map.of()));
    assertTrue(
        unreadable.getMessage().startsWith("agentApiKeyFile " + missing), unreadable.getMessage());
  }
}
