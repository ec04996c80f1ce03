package dev.lastcall.agent.config;

import java.util.Locale;

/** Every configuration key the agent knows, with its spelling in each source. */
public enum Key {
  ENABLED("enabled"),
  BASE_URL("baseUrl"),
  ALLOW_INSECURE("allowInsecure"),
  TIMEOUT("timeout"),
  CONCURRENCY("concurrency"),
  REPORT("report"),
  API_KEY_FILE("apiKeyFile"),
  JOURNAL("journal"),
  LEASE_TTL("leaseTtl"),
  JOURNAL_PASSWORD_FILE("journalPasswordFile"),
  MAX_RUNTIME("maxRuntime"),
  CA_FILE("caFile"),
  PROXY("proxy"),
  TRACK("track"),
  AGENT_BASE_URL("agentBaseUrl"),
  AGENT_API_KEY_FILE("agentApiKeyFile");

  private final String argName;

  Key(String argName) {
    this.argName = argName;
  }

  /** The name in agent arguments: {@code timeout}, {@code baseUrl}. */
  public String argName() {
    return argName;
  }

  /** The system property: {@code lastcall.timeout}, {@code lastcall.baseUrl}. */
  public String propertyName() {
    return "lastcall." + argName;
  }

  /** The environment variable: {@code LASTCALL_TIMEOUT}, {@code LASTCALL_BASE_URL}. */
  public String envName() {
    return "LASTCALL_" + name();
  }

  static Key fromArgName(String name) {
    for (Key key : values()) {
      if (key.argName.equals(name)) {
        return key;
      }
    }
    return null;
  }

  static Key fromEnvName(String name) {
    for (Key key : values()) {
      if (key.envName().equals(name)) {
        return key;
      }
    }
    return null;
  }

  static String known() {
    StringBuilder out = new StringBuilder();
    for (Key key : values()) {
      out.append(out.length() == 0 ? "" : ", ").append(key.argName);
    }
    return out.toString();
  }

  /** True for names that look like an attempt to pass the API key itself. */
  static boolean looksLikeSecret(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(".", "");
    return n.endsWith("apikey")
        || n.endsWith("token")
        || n.endsWith("secret")
        || n.endsWith("password");
  }
}
