package dev.lastcall.client;

/**
 * The client's defaults and limits, which the agent's configuration uses too. Holds no OkHttp type,
 * so that the agent's premain can read it without loading the HTTP stack.
 */
public final class ClientDefaults {
  /** The BLACKBOX Tasks API. */
  public static final String BASE_URL = "https://cloud.blackbox.ai";

  /** The BLACKBOX v1 Agent API, whose runs are cancelled at {@code {AGENT_BASE_URL}/tasks/{id}}. */
  public static final String AGENT_BASE_URL = "https://agent.blackbox.ai/api/v1";

  /** Bulk-cancel requests in flight at once: far above OkHttp's 5 per host. */
  public static final int CONCURRENCY = 256;

  /**
   * The most requests in flight at once. Each holds a socket and, with OkHttp's asynchronous calls,
   * a thread; 4,096 stays inside common per-process limits on file descriptors and threads (the
   * 10,000 the client once allowed did not), and is already 16 times the default, beyond which a
   * single API's rate limit, not the client, sets the pace.
   */
  public static final int MAX_CONCURRENCY = 4096;

  private ClientDefaults() {}
}
