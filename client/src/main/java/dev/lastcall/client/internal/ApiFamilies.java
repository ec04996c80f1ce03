package dev.lastcall.client.internal;

import dev.lastcall.Family;

/**
 * The requests of each API family this client has a key for: the cloud Tasks API, the v1 Agent API,
 * or both. A family without a key has no requests; its tasks cannot be cancelled, and {@link
 * #missingKey} says why in a user's words.
 */
public final class ApiFamilies {
  private final TaskRequests cloud;
  private final TaskRequests v1;

  /** Either may be null (no key for that family), not both. */
  public ApiFamilies(TaskRequests cloud, TaskRequests v1) {
    if (cloud == null && v1 == null) {
      throw new IllegalArgumentException("an API key for at least one family is required");
    }
    this.cloud = cloud;
    this.v1 = v1;
  }

  /** Only the cloud family. */
  public static ApiFamilies cloudOnly(TaskRequests cloud) {
    return new ApiFamilies(cloud, null);
  }

  /** The requests of {@code family}, or null when this client has no key for it. */
  public TaskRequests of(Family family) {
    return family == Family.V1 ? v1 : cloud;
  }

  /** The family requests go to when one must be picked (warm-up): cloud if configured. */
  public TaskRequests primary() {
    return cloud != null ? cloud : v1;
  }

  /**
   * Cloud-shaped requests for the warm-up, whose canned answers are cloud answers and which never
   * reaches the network: the cloud family's, else the same shape on the v1 base URL.
   */
  public TaskRequests warmUp() {
    return cloud != null ? cloud : new TaskRequests(Family.CLOUD, v1.baseUrl(), v1.key());
  }

  /** Why a task of {@code family} cannot be cancelled when this client has no key for it. */
  public static String missingKey(Family family) {
    return family == Family.V1
        ? "no API key for v1 Agent API runs: set BLACKBOX_AGENT_API_KEY or agentApiKeyFile"
            + " (TasksClient.Builder.agentApiKey)"
        : "no API key for cloud tasks: set BLACKBOX_API_KEY or apiKeyFile"
            + " (TasksClient.Builder.apiKey)";
  }

  /**
   * Text made safe to show: every key this client holds replaced, see {@link TaskRequests#safe}.
   */
  public String safe(String text) {
    return TaskRequests.safe(
        text, cloud == null ? null : cloud.key(), v1 == null ? null : v1.key());
  }
}
