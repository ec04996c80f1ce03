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
    return new FromEnvironment();
  }

  /** A class, not a lambda: premain makes it, on the application's thread. */
  final class FromEnvironment implements ClientSource {
    private FromEnvironment() {}

    @Override
    public PreparedClient prepare(AgentConfig config) {
      return ClientFactory.prepare(config, System.getenv());
    }
  }
}
