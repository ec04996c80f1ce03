package dev.lastcall.agent.client;

import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ApiKeys;
import dev.lastcall.client.TasksClient;
import dev.lastcall.client.tls.CaCertificates;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one way the agent's client is built, for the agent at run time and for the command line
 * alike: the configured base URL, {@code allowInsecure} and concurrency, the key from {@code
 * apiKeyFile} or the environment only ({@link ApiKeys}), single calls bounded by {@code timeout},
 * and the CA certificates of {@code caFile} trusted in addition to the JVM's default.
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
    return open(config, env, withoutKey, AgentLog.LINES);
  }

  /**
   * Builds a client; a {@code caFile} whose certificates cannot be read is one line to {@code
   * problems}, and the client keeps the JVM's default trust; so is an {@code HTTPS_PROXY} that is
   * no acceptable URL (the client then connects directly).
   *
   * @param withoutKey what cannot be done without a key, ending the message when there is none
   */
  public static TasksClient open(
      AgentConfig config, Map<String, String> env, String withoutKey, Consumer<String> problems)
      throws ApiKeys.MissingApiKeyException {
    TasksClient.Builder builder =
        TasksClient.builder()
            .trustAlso(addedTrust(config, problems))
            .proxyEnvironment(env)
            .baseUrl(config.baseUrl().toString())
            .agentBaseUrl(config.agentBaseUrl().toString())
            .allowInsecure(config.allowInsecure());
    keys(builder, config, env, withoutKey, problems);
    builder
        .maxConcurrency(config.concurrency())
        // Single calls (status) get the whole bounded wait; bulk cancels cut their own from it.
        .callTimeout(
            config.timeout().compareTo(MAX_CALL_TIMEOUT) > 0 ? MAX_CALL_TIMEOUT : config.timeout());
    if (config.proxy().isPresent()) {
      builder.proxy(config.proxy().get());
    }
    TasksClient client = builder.build();
    if (client.proxyChoice().problem() != null) {
      problems.accept(client.proxyChoice().problem());
    }
    return client;
  }

  /**
   * Gives {@code builder} the key of each family that has one. Either family may be configured
   * without the other: a missing cloud key is an error only when there is no v1 key either, and a
   * v1 key that is configured but unusable is one line to {@code problems} (its runs are then
   * reported FAILED, naming the missing key).
   */
  private static void keys(
      TasksClient.Builder builder,
      AgentConfig config,
      Map<String, String> env,
      String withoutKey,
      Consumer<String> problems)
      throws ApiKeys.MissingApiKeyException {
    boolean agentKey = false;
    if (ApiKeys.hasAgentKey(config, env)) {
      try {
        builder.agentApiKey(ApiKeys.findAgent(config, env));
        agentKey = true;
      } catch (ApiKeys.MissingApiKeyException e) {
        problems.accept(e.getMessage());
      }
    }
    try {
      builder.apiKey(ApiKeys.find(config, env, withoutKey));
    } catch (ApiKeys.MissingApiKeyException e) {
      if (!agentKey) {
        throw ApiKeys.neitherKey(e, config, env);
      }
      if (config.apiKeyFile().isPresent() || env.get(ApiKeys.ENV) != null) {
        problems.accept(e.getMessage()); // Configured but refused: say so; unset is a choice.
      }
    }
  }

  /**
   * The certificates of {@code caFile}, parsed now (the loader only checked the file, in premain);
   * none when there is no caFile or it cannot be read, which {@code problems} hears about.
   */
  static List<X509Certificate> addedTrust(AgentConfig config, Consumer<String> problems) {
    if (config.caFile().isEmpty()) {
      return List.of();
    }
    try {
      return CaCertificates.read(config.caFile().get());
    } catch (IllegalArgumentException e) {
      problems.accept(e.getMessage() + "; using the JVM's default trust only");
      return List.of();
    }
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
