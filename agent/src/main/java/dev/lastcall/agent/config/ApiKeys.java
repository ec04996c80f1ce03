package dev.lastcall.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the API keys: for cloud tasks the file named by {@code apiKeyFile} when configured, else
 * the {@code BLACKBOX_API_KEY} environment variable; for v1 Agent API runs {@code agentApiKeyFile},
 * else {@code BLACKBOX_AGENT_API_KEY}. Never from arguments or system properties, which process
 * listings show to every user of the machine. No message here ever contains the key or any part of
 * it.
 */
public final class ApiKeys {
  public static final String ENV = "BLACKBOX_API_KEY";

  /** The v1 Agent API key's environment variable. */
  public static final String AGENT_ENV = "BLACKBOX_AGENT_API_KEY";

  /** What the agent cannot do without a key, ending its message when there is none. */
  public static final String AGENT_WITHOUT_KEY = "registered tasks cannot be cancelled";

  private static final int MAX_FILE_BYTES = 16 * 1024;

  private ApiKeys() {}

  /**
   * Thrown when no usable key is found; the message says where the agent looked and why it refused.
   */
  public static final class MissingApiKeyException extends Exception {
    private static final long serialVersionUID = 1L;

    MissingApiKeyException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * {@code missing} (the cloud key's absence) saying that no v1 Agent API key is set either, when
   * none is: then no task of either family can be cancelled.
   */
  public static MissingApiKeyException neitherKey(
      MissingApiKeyException missing, AgentConfig config, Map<String, String> env) {
    if (hasAgentKey(config, env)) {
      return missing;
    }
    return new MissingApiKeyException(
        missing.getMessage()
            + " (nor is a v1 Agent API key set: "
            + AGENT_ENV
            + " or agentApiKeyFile)");
  }

  /** Returns the key, trimmed; the agent's wording when there is none. */
  public static String find(AgentConfig config, Map<String, String> env)
      throws MissingApiKeyException {
    return find(config, env, AGENT_WITHOUT_KEY);
  }

  /**
   * Returns the key, trimmed.
   *
   * @param withoutKey what cannot be done without one, ending the message when none is found
   */
  public static String find(AgentConfig config, Map<String, String> env, String withoutKey)
      throws MissingApiKeyException {
    return find(config.apiKeyFile().orElse(null), "apiKeyFile", ENV, env, withoutKey, "bb_...");
  }

  /**
   * True if a v1 Agent API key is configured at all: {@code agentApiKeyFile} is set or {@code
   * BLACKBOX_AGENT_API_KEY} is not blank. Either family may be configured without the other.
   */
  public static boolean hasAgentKey(AgentConfig config, Map<String, String> env) {
    String key = env.get(AGENT_ENV);
    return config.agentApiKeyFile().isPresent() || key != null && !key.isBlank();
  }

  /** Returns the v1 Agent API key, trimmed. */
  public static String findAgent(AgentConfig config, Map<String, String> env)
      throws MissingApiKeyException {
    return find(
        config.agentApiKeyFile().orElse(null),
        "agentApiKeyFile",
        AGENT_ENV,
        env,
        "v1 Agent API runs cannot be cancelled",
        "sk-...");
  }

  private static String find(
      Path configuredFile,
      String fileKey,
      String envName,
      Map<String, String> env,
      String withoutKey,
      String looksLike)
      throws MissingApiKeyException {
    if (configuredFile != null) {
      Path file = configuredFile;
      String key;
      try {
        if (Files.size(file) > MAX_FILE_BYTES) {
          throw new MissingApiKeyException(
              fileKey
                  + " "
                  + file
                  + " is larger than "
                  + MAX_FILE_BYTES
                  + " bytes; expected a file holding only the API key");
        }
        key = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new MissingApiKeyException(
            fileKey
                + " "
                + file
                + " cannot be read ("
                + e.getClass().getSimpleName()
                + "); expected a readable file holding only the API key");
      }
      return check(key, fileKey + " " + file, looksLike);
    }
    String key = env.get(envName);
    if (key == null || key.isBlank()) {
      throw new MissingApiKeyException(
          envName + " is not set and no " + fileKey + " is configured; " + withoutKey);
    }
    return check(key.trim(), envName, looksLike);
  }

  private static String check(String key, String where, String looksLike)
      throws MissingApiKeyException {
    if (key.isEmpty()) {
      throw new MissingApiKeyException(
          where + " is empty; expected the API key (" + looksLike + ")");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new MissingApiKeyException(
            where
                + " holds a character that cannot be sent in an HTTP header (whitespace, control or"
                + " non-ASCII); expected the API key alone ("
                + looksLike
                + ")");
      }
    }
    return key;
  }
}
