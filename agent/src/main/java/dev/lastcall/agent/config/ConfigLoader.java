package dev.lastcall.agent.config;

import static dev.lastcall.internal.Quoting.quote;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Reads the configuration from its three sources in one place, highest first: agent arguments
 * ({@code -javaagent:lastcall-agent.jar=timeout=5s,baseUrl=...}), system properties ({@code
 * lastcall.*}), environment variables ({@code LASTCALL_*}); then the defaults.
 *
 * <p>Every problem becomes one line handed to {@code problems}, naming the key, where it came from,
 * the value, and what is accepted; the loader itself never throws for bad input. A refused value
 * falls back to its default, except a refused {@code baseUrl}, which disables the agent: sending
 * the API key to a host the user did not choose would be worse than doing nothing. Values of keys
 * that look like secrets are never repeated.
 */
public final class ConfigLoader {
  private final Consumer<String> problems;
  private final Map<Key, Raw> raw = new EnumMap<>(Key.class);

  private ConfigLoader(Consumer<String> problems) {
    this.problems = problems;
  }

  /** A raw value and the source it came from, for messages. */
  private static final class Raw {
    final String value;
    final String source;

    Raw(String value, String source) {
      this.value = value;
      this.source = source;
    }
  }

  /**
   * Loads the configuration.
   *
   * @param agentArgs the string after {@code =} in {@code -javaagent:jar=...}; may be null
   * @param properties the system properties
   * @param env the environment
   * @param problems receives one line per problem found
   */
  public static AgentConfig load(
      String agentArgs, Properties properties, Map<String, String> env, Consumer<String> problems) {
    ConfigLoader loader = new ConfigLoader(problems);
    // Lowest first, so that a higher source overwrites.
    loader.readEnv(env);
    loader.readProperties(properties);
    loader.readAgentArgs(agentArgs);
    return loader.settle();
  }

  private void readEnv(Map<String, String> env) {
    for (Map.Entry<String, String> entry : env.entrySet()) {
      String name = entry.getKey();
      if (!name.startsWith("LASTCALL_")) {
        continue;
      }
      Key key = Key.fromEnvName(name);
      if (key == null) {
        problems.accept(unknown("environment variable " + name));
      } else {
        raw.put(key, new Raw(entry.getValue(), "environment variable " + name));
      }
    }
  }

  private void readProperties(Properties properties) {
    for (String name : properties.stringPropertyNames()) {
      if (!name.startsWith("lastcall.")) {
        continue;
      }
      Key key = Key.fromArgName(name.substring("lastcall.".length()));
      if (key == null) {
        problems.accept(unknown("system property " + name));
      } else {
        raw.put(key, new Raw(properties.getProperty(name), "system property " + name));
      }
    }
  }

  private void readAgentArgs(String agentArgs) {
    if (agentArgs == null || agentArgs.isBlank()) {
      return;
    }
    Map<Key, Raw> seen = new EnumMap<>(Key.class);
    for (String entry : agentArgs.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String name = (eq < 0 ? entry : entry.substring(0, eq)).trim();
      if (Key.looksLikeSecret(name)) {
        problems.accept(unknown("agent argument " + quote(name)));
        continue;
      }
      if (eq < 0) {
        problems.accept(
            "agent argument "
                + quote(entry.trim())
                + " is not key=value; known keys: "
                + Key.known()
                + " (for example timeout=5s,baseUrl=http://127.0.0.1:8080)");
        continue;
      }
      Key key = Key.fromArgName(name);
      if (key == null) {
        problems.accept(unknown("agent argument " + quote(name)));
        continue;
      }
      Raw value = new Raw(entry.substring(eq + 1).trim(), "agent argument " + name);
      if (seen.put(key, value) != null) {
        problems.accept(
            "agent argument "
                + name
                + " is given more than once; using the last, "
                + quote(value.value));
      }
    }
    raw.putAll(seen);
  }

  private static String unknown(String where) {
    String message = "unknown configuration key: " + where + "; known keys: " + Key.known();
    return message
        + ". The API key is read only from BLACKBOX_API_KEY or the file named by apiKeyFile,"
        + " never from arguments or properties";
  }

  private AgentConfig settle() {
    AgentConfig defaults = AgentConfig.defaults();
    boolean enabled = parse(Key.ENABLED, defaults.enabled(), "default");
    boolean allowInsecure = parse(Key.ALLOW_INSECURE, false, "default");
    Duration timeout = parse(Key.TIMEOUT, defaults.timeout(), "default");
    int concurrency = parse(Key.CONCURRENCY, defaults.concurrency(), "default");
    Path report = parse(Key.REPORT, null, "no report");
    Path apiKeyFile = parse(Key.API_KEY_FILE, null, "BLACKBOX_API_KEY");
    Path journal = parse(Key.JOURNAL, null, "no journal");
    Duration maxRuntime = parse(Key.MAX_RUNTIME, null, "no default time limit");

    URI baseUrl = defaults.baseUrl();
    Raw rawBase = raw.get(Key.BASE_URL);
    if (rawBase != null) {
      try {
        baseUrl = parseBaseUrl(rawBase.value, allowInsecure);
      } catch (ConfigProblem problem) {
        problems.accept(refusal(Key.BASE_URL, rawBase, problem) + "; the agent is disabled");
        enabled = false;
      }
    }
    return new AgentConfig(
        enabled, baseUrl, timeout, concurrency, report, apiKeyFile, journal, maxRuntime);
  }

  /**
   * Parses one key's value. A switch rather than a parser per key: this runs in premain, where
   * every lambda is a class spun up at run time on the application's thread.
   */
  private static Object parseValue(Key key, String value) throws ConfigProblem {
    switch (key) {
      case ENABLED:
      case ALLOW_INSECURE:
        return parseBoolean(value);
      case TIMEOUT:
      case MAX_RUNTIME:
        return Durations.parse(value);
      case CONCURRENCY:
        return parseConcurrency(value);
      case REPORT:
        return parseReportPath(value);
      case API_KEY_FILE:
        return parsePath(value);
      case JOURNAL:
        return parseJournalDirectory(value);
      default:
        throw new IllegalArgumentException("no parser for " + key); // BASE_URL is settled apart
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T parse(Key key, T fallback, String fallbackName) {
    Raw value = raw.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return (T) parseValue(key, value.value);
    } catch (ConfigProblem problem) {
      String using =
          fallback == null
              ? fallbackName
              : fallback instanceof Duration
                  ? Durations.format((Duration) fallback)
                  : String.valueOf(fallback);
      problems.accept(refusal(key, value, problem) + "; using " + using);
      return fallback;
    }
  }

  private static String refusal(Key key, Raw value, ConfigProblem problem) {
    return "invalid "
        + key.argName()
        + " "
        + quote(value.value)
        + " ("
        + value.source
        + "): "
        + problem.getMessage();
  }

  static boolean parseBoolean(String value) throws ConfigProblem {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new ConfigProblem("expected true or false");
    }
  }

  static int parseConcurrency(String value) throws ConfigProblem {
    String accepted = "expected a whole number from 1 to " + AgentConfig.MAX_CONCURRENCY;
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 1 || n > AgentConfig.MAX_CONCURRENCY) {
        throw new ConfigProblem(accepted);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigProblem(accepted);
    }
  }

  static Path parsePath(String value) throws ConfigProblem {
    if (value.isBlank()) {
      throw new ConfigProblem("expected a file path");
    }
    try {
      return Path.of(value.trim());
    } catch (InvalidPathException e) {
      throw new ConfigProblem("expected a file path");
    }
  }

  static Path parseReportPath(String value) throws ConfigProblem {
    Path path = parsePath(value);
    if (Files.isDirectory(path)) {
      throw new ConfigProblem("expected the path of a file to write, not a directory");
    }
    return path;
  }

  static Path parseJournalDirectory(String value) throws ConfigProblem {
    Path path = parsePath(value);
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new ConfigProblem("expected a directory (created if missing), not a file");
    }
    return path;
  }

  static URI parseBaseUrl(String value, boolean allowInsecure) throws ConfigProblem {
    String accepted = "expected an http or https URL such as https://cloud.blackbox.ai";
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw new ConfigProblem(accepted);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")
        || uri.getHost() == null
        || uri.isOpaque()) {
      throw new ConfigProblem(accepted);
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigProblem(accepted + ", with no user info, query or fragment");
    }
    if (scheme.equals("http") && !allowInsecure && !isLoopback(uri.getHost())) {
      throw new ConfigProblem(
          "plain http to a non-loopback host would send the API key across the"
              + " network in clear text; use https, a loopback address, or set allowInsecure=true");
    }
    String text = uri.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }

  /** Loopback by name only: premain must not wait on a DNS lookup. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.startsWith("127.")
        || h.equals("[::1]")
        || h.equals("::1");
  }
}
