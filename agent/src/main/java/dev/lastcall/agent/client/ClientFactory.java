package dev.lastcall.agent.client;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ApiKeys;
import dev.lastcall.client.TasksClient;
import java.time.Duration;
import java.util.Map;

/**
 * The one way the agent's client is built, for the agent at run time and for the command line
 * alike: the configured base URL, {@code allowInsecure} and concurrency, the key from {@code
 * apiKeyFile} or the environment only ({@link ApiKeys}), and single calls bounded by {@code
 * timeout}.
 */
public final class ClientFactory {
  private static final Duration MAX_CALL_TIMEOUT = Duration.ofDays(1);

  private ClientFactory() {}

  /**
   * Builds a client.
   *
   * @param withoutKey what cannot be done without a key, ending the message when there is none
   */
  public static TasksClient open(AgentConfig config, Map<String, String> env, String withoutKey)
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

  /** The agent's client, or why there is none (no usable key). */
  public static PreparedClient prepare(AgentConfig config, Map<String, String> env) {
    try {
      return PreparedClient.ready(open(config, env, ApiKeys.AGENT_WITHOUT_KEY));
    } catch (ApiKeys.MissingApiKeyException e) {
      return PreparedClient.unavailable(e.getMessage());
    }
  }
}
