package dev.lastcall;

/**
 * The two BLACKBOX task APIs a task can belong to. Each has its own base URL, its own API key and
 * its own cancel call; Lastcall cancels every registered task through its family's API.
 */
public enum Family {
  /**
   * The cloud Tasks API ({@code https://cloud.blackbox.ai/api/tasks}, {@code bb_} keys): tasks are
   * stopped with {@code PATCH {"action":"stop"}}. A cloud task's key is its id.
   */
  CLOUD(""),
  /**
   * The v1 Agent API ({@code https://agent.blackbox.ai/api/v1/tasks}, {@code sk-} keys): runs are
   * cancelled with {@code PATCH {"action":"cancel"}}. A run's key is {@code v1/} + its run id.
   */
  V1("v1/");

  private final String prefix;

  Family(String prefix) {
    this.prefix = prefix;
  }

  /** What this family's keys start with: empty for cloud tasks, {@code v1/} for v1 runs. */
  public String keyPrefix() {
    return prefix;
  }

  /** {@code cloud} or {@code v1}: the word reports and messages use. */
  public String label() {
    return this == CLOUD ? "cloud" : "v1";
  }
}
