package dev.lastcall.agent.client;

import dev.lastcall.agent.config.AgentConfig;

/**
 * Where the agent's runtime gets its client: the one slow step of its start-up, run on the {@code
 * lastcall-prepare} thread. The agent's is {@link #environment()}; tests hand in their own.
 */
@FunctionalInterface
public interface ClientSource {
  /** Builds the client for {@code config}, or says why there is none. May be slow; never null. */
  PreparedClient prepare(AgentConfig config);

  /** {@link ClientFactory#prepare} with the key from this process's environment. */
  static ClientSource environment() {
    return new FromEnvironment(null);
  }

  /**
   * {@link ClientFactory#prepare} with the key from {@code env}: this process's environment plus
   * the key that the {@code attach} command handed over.
   */
  static ClientSource environment(java.util.Map<String, String> env) {
    return new FromEnvironment(env);
  }

  /** A class, not a lambda: premain makes it, on the application's thread. */
  final class FromEnvironment implements ClientSource {
    private final java.util.Map<String, String> env; // null: System.getenv()

    private FromEnvironment(java.util.Map<String, String> env) {
      this.env = env;
    }

    @Override
    public PreparedClient prepare(AgentConfig config) {
      return ClientFactory.prepare(config, env != null ? env : System.getenv());
    }
  }
}
