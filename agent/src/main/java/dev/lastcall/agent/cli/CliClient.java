package dev.lastcall.agent.cli;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ApiKeys;
import dev.lastcall.client.TasksClient;
import java.time.Duration;
import java.util.Map;

/**
 * Builds the commands' client exactly as the agent builds its own; the key from the environment or
 * apiKeyFile only.
 */
final class CliClient {
  private static final Duration MAX_CALL_TIMEOUT = Duration.ofDays(1);

  private CliClient() {}

  /**
   * @param withoutKey what cannot be done without a key, for the message when there is none
   */
  static TasksClient open(AgentConfig config, Map<String, String> env, String withoutKey)
      throws ApiKeys.MissingApiKeyException {
    return TasksClient.builder()
        .baseUrl(config.baseUrl().toString())
        .allowInsecure(config.allowInsecure())
        .apiKey(ApiKeys.find(config, env, withoutKey))
        .maxConcurrency(config.concurrency())
        // Single calls (status) get the whole bounded wait; bulk cancels cut their own from it.
        .callTimeout(
            config.timeout().compareTo(MAX_CALL_TIMEOUT) > 0 ? MAX_CALL_TIMEOUT : config.timeout())
        .build();
  }
}
