package dev.lastcall.agent.registry;

/** How the agent came to know of a registered task; the report's {@code found} field. */
public enum FoundBy {
  /** The application registered it through {@code TaskRegistry}. */
  API("api"),
  /**
   * Registered through a copy of the api that a fat-jar or web-app class loader had loaded before
   * the agent was attached, and joined into the agent's registry at attach.
   */
  JOINED("joined"),
  /** Found by tracking the application's own HTTP calls ({@code track=auto}). */
  TRACKING("tracking");

  private final String word;

  FoundBy(String word) {
    this.word = word;
  }

  /** The report's value: {@code api}, {@code joined} or {@code tracking}. */
  public String word() {
    return word;
  }
}
