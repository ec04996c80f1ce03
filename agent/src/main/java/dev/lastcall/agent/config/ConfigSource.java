package dev.lastcall.agent.config;

/** Where a configuration value came from, highest first. */
public enum ConfigSource {
  AGENT_ARGUMENT("agent argument"),
  SYSTEM_PROPERTY("system property"),
  ENVIRONMENT_VARIABLE("environment variable");

  private final String words;

  ConfigSource(String words) {
    this.words = words;
  }

  /** As messages name it: {@code agent argument}, {@code system property}. */
  public String words() {
    return words;
  }
}
