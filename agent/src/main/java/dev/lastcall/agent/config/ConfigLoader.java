package dev.lastcall.agent.config;

import static dev.lastcall.internal.Quoting.quote;

import dev.lastcall.client.BaseUrl;
import dev.lastcall.client.ClientDefaults;
import dev.lastcall.client.proxy.ProxySetting;
import dev.lastcall.client.tls.CaCertificates;
import java.net.URI;
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
 * <p>Every problem becomes one {@link ConfigProblem} handed to {@code problems}: the key, where it
 * came from, the value, and what is accepted; the loader itself never throws for bad input. A
 * refused value falls back to its default, except a refused {@code baseUrl}, which disables the
 * agent: sending the API key to a host the user did not choose would be worse than doing nothing
 * ({@link AgentConfig#disabledBecause} says so). Values of keys that look like secrets are never
 * repeated.
 */
public final class ConfigLoader {
  private final Consumer<ConfigProblem> problems;
  private final Map<Key, Raw> raw = new EnumMap<>(Key.class);

  private ConfigLoader(Consumer<ConfigProblem> problems) {
    this.problems = problems;
  }

  /** A raw value, the source it came from and its name there, for messages. */
  private static final class Raw {
    final String value;
    final ConfigSource source;
    final String name;

    Raw(String value, ConfigSource source, String name) {
      this.value = value;
      this.source = source;
      this.name = name;
    }

    String where() {
      return source.words() + " " + name;
    }
  }

  /**
   * Loads the configuration.
   *
   * @param agentArgs the string after {@code =} in {@code -javaagent:jar=...}; may be null
   * @param properties the system properties
   * @param env the environment
   * @param problems receives each problem found, in the order found; {@link ConfigProblem#asLines}
   *     turns them into the agent's lines
   */
  public static AgentConfig load(
      String agentArgs,
      Properties properties,
      Map<String, String> env,
      Consumer<ConfigProblem> problems) {
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
        unknown(ConfigSource.ENVIRONMENT_VARIABLE, name, name);
      } else {
        raw.put(key, new Raw(entry.getValue(), ConfigSource.ENVIRONMENT_VARIABLE, name));
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
        unknown(ConfigSource.SYSTEM_PROPERTY, name, name);
      } else {
        raw.put(key, new Raw(properties.getProperty(name), ConfigSource.SYSTEM_PROPERTY, name));
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
        unknown(ConfigSource.AGENT_ARGUMENT, name, quote(name));
        continue;
      }
      if (eq < 0) {
        String message =
            "is not key=value; known keys: "
                + Key.known()
                + " (for example timeout=5s,baseUrl=http://127.0.0.1:8080)";
        report(
            Key.fromArgName(name),
            ConfigSource.AGENT_ARGUMENT,
            name,
            null,
            message,
            "agent argument " + quote(entry.trim()) + " " + message);
        continue;
      }
      Key key = Key.fromArgName(name);
      if (key == null) {
        unknown(ConfigSource.AGENT_ARGUMENT, name, quote(name));
        continue;
      }
      Raw value = new Raw(entry.substring(eq + 1).trim(), ConfigSource.AGENT_ARGUMENT, name);
      if (seen.put(key, value) != null) {
        String message = "is given more than once";
        report(
            key,
            ConfigSource.AGENT_ARGUMENT,
            name,
            hidesSecrets(key) ? withoutSecrets(value.value) : value.value,
            message,
            "agent argument " + name + " " + message + "; using the last, " + shown(key, value));
      }
    }
    raw.putAll(seen);
  }

  private void report(
      Key key, ConfigSource source, String name, String value, String message, String line) {
    problems.accept(new ConfigProblem(key, source, name, value, message, line));
  }

  /** A name that is no key; its value is never kept, since it may be a misplaced secret. */
  private void unknown(ConfigSource source, String name, String shownName) {
    String message =
        "known keys: "
            + Key.known()
            + ". The API keys are read only from BLACKBOX_API_KEY (or the file named by apiKeyFile)"
            + " and BLACKBOX_AGENT_API_KEY (or agentApiKeyFile), never from arguments or"
            + " properties";
    report(
        null,
        source,
        name,
        null,
        "unknown configuration key; " + message,
        "unknown configuration key: " + source.words() + " " + shownName + "; " + message);
  }

  private AgentConfig settle() {
    boolean enabled = parse(Key.ENABLED, Boolean.TRUE, "default");
    boolean allowInsecure = parse(Key.ALLOW_INSECURE, Boolean.FALSE, "default");
    Duration timeout = parse(Key.TIMEOUT, AgentConfig.DEFAULT_TIMEOUT, "default");
    int concurrency = parse(Key.CONCURRENCY, ClientDefaults.CONCURRENCY, "default");
    // Parsed before baseUrl is judged, and kept if it is refused: the disabled agent still writes
    // its report at shutdown.
    Path report = parse(Key.REPORT, null, "no report");
    Path apiKeyFile = parse(Key.API_KEY_FILE, null, "BLACKBOX_API_KEY");
    Path agentApiKeyFile = parse(Key.AGENT_API_KEY_FILE, null, "BLACKBOX_AGENT_API_KEY");
    JournalLocation journal = parse(Key.JOURNAL, null, "no journal");
    Duration leaseTtl = parse(Key.LEASE_TTL, AgentConfig.DEFAULT_LEASE_TTL, "default");
    Path journalPasswordFile = parse(Key.JOURNAL_PASSWORD_FILE, null, "the password in the URL");
    Duration maxRuntime = parse(Key.MAX_RUNTIME, null, "no default time limit");
    Path caFile = parse(Key.CA_FILE, null, "the JVM's default trust only");
    ProxySetting proxy =
        parse(Key.PROXY, null, "the JVM's proxy settings, else HTTPS_PROXY, else direct");
    boolean track = parse(Key.TRACK, Boolean.TRUE, "auto");

    URI baseUrl = URI.create(ClientDefaults.BASE_URL);
    URI agentBaseUrl = URI.create(ClientDefaults.AGENT_BASE_URL);
    String disabledBecause = null;
    // A refused base URL of either family disables the agent: a key must never be sent to a URL
    // that was not meant, and falling back to the default would send it to the real service.
    for (Key key : new Key[] {Key.BASE_URL, Key.AGENT_BASE_URL}) {
      Raw rawBase = raw.get(key);
      if (rawBase == null) {
        continue;
      }
      try {
        URI parsed = parseBaseUrl(rawBase.value, allowInsecure);
        if (key == Key.BASE_URL) {
          baseUrl = parsed;
        } else {
          agentBaseUrl = parsed;
        }
      } catch (RefusedValue refused) {
        refuse(key, rawBase, refused, "the agent is disabled");
        if (enabled) { // enabled=false asked for silence; the refusal's own line is enough
          disabledBecause =
              key.argName()
                  + " "
                  + shown(key, rawBase)
                  + " ("
                  + rawBase.where()
                  + ") was refused: "
                  + refused.getMessage();
        }
        enabled = false;
      }
    }
    return new AgentConfig(
        enabled,
        disabledBecause,
        baseUrl,
        allowInsecure,
        timeout,
        concurrency,
        report,
        apiKeyFile,
        journal,
        leaseTtl,
        journalPasswordFile,
        maxRuntime,
        caFile,
        proxy,
        track,
        agentBaseUrl,
        agentApiKeyFile);
  }

  /**
   * Parses one key's value. A switch rather than a parser per key: this runs in premain, where
   * every lambda is a class spun up at run time on the application's thread.
   */
  private static Object parseValue(Key key, String value) throws RefusedValue {
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
      case AGENT_API_KEY_FILE:
      case JOURNAL_PASSWORD_FILE:
        return parsePath(value);
      case JOURNAL:
        return parseJournal(value);
      case LEASE_TTL:
        return parseLeaseTtl(value);
      case CA_FILE:
        return parseCaFile(value);
      case PROXY:
        return parseProxy(value);
      case TRACK:
        return parseTrack(value);
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
    } catch (RefusedValue refused) {
      // A fallback with a name of its own (track's "auto") is said by that name.
      String using =
          fallback == null || !fallbackName.equals("default")
              ? fallbackName
              : fallback instanceof Duration
                  ? Durations.format((Duration) fallback)
                  : String.valueOf(fallback);
      refuse(key, value, refused, "using " + using);
      return fallback;
    }
  }

  /** Reports a refused value: {@code invalid KEY "VALUE" (SOURCE NAME): WHY; INSTEAD}. */
  private void refuse(Key key, Raw value, RefusedValue refused, String instead) {
    report(
        key,
        value.source,
        value.name,
        hidesSecrets(key) ? withoutSecrets(value.value) : value.value,
        refused.getMessage(),
        "invalid "
            + key.argName()
            + " "
            + shown(key, value)
            + " ("
            + value.where()
            + "): "
            + refused.getMessage()
            + "; "
            + instead);
  }

  /**
   * A value quoted for a message. A base URL loses its user info, query and fragment first: they
   * are refused, and may hold a password or a token.
   */
  private static String shown(Key key, Raw value) {
    return quote(hidesSecrets(key) ? withoutSecrets(value.value) : value.value);
  }

  /** Keys whose values are URLs that may carry a user and password. */
  private static boolean hidesSecrets(Key key) {
    return key == Key.BASE_URL
        || key == Key.AGENT_BASE_URL
        || key == Key.PROXY
        || key == Key.JOURNAL;
  }

  /** {@code https://user:pw@host/p?token=x} as {@code https://...@host/p?...}. */
  static String withoutSecrets(String url) {
    String text = url.trim();
    int query = indexOfAny(text, "?#", 0);
    String shown = query < 0 ? text : text.substring(0, query) + "?...";
    int scheme = shown.indexOf("://");
    int authorityStart = scheme < 0 ? 0 : scheme + 3;
    int authorityEnd = indexOfAny(shown, "/", authorityStart);
    int at =
        shown
            .substring(authorityStart, authorityEnd < 0 ? shown.length() : authorityEnd)
            .lastIndexOf('@');
    if (at < 0) {
      return shown;
    }
    return shown.substring(0, authorityStart) + "...@" + shown.substring(authorityStart + at + 1);
  }

  private static int indexOfAny(String text, String chars, int from) {
    for (int i = from; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  static boolean parseBoolean(String value) throws RefusedValue {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new RefusedValue("expected true or false");
    }
  }

  static int parseConcurrency(String value) throws RefusedValue {
    String accepted = "expected a whole number from 1 to " + ClientDefaults.MAX_CONCURRENCY;
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 1 || n > ClientDefaults.MAX_CONCURRENCY) {
        throw new RefusedValue(accepted);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new RefusedValue(accepted);
    }
  }

  static Path parsePath(String value) throws RefusedValue {
    if (value.isBlank()) {
      throw new RefusedValue("expected a file path");
    }
    try {
      return Path.of(value.trim());
    } catch (InvalidPathException e) {
      throw new RefusedValue("expected a file path");
    }
  }

  static Path parseReportPath(String value) throws RefusedValue {
    Path path = parsePath(value);
    if (Files.isDirectory(path)) {
      throw new RefusedValue("expected the path of a file to write, not a directory");
    }
    return path;
  }

  private static final String JOURNAL_ACCEPTED =
      "expected a directory path (created if missing) or redis://[user:password@]host[:port][/db]"
          + " or rediss://... (TLS)";

  /**
   * A journal directory, or a {@code redis://} or {@code rediss://} URL. Anything else that looks
   * like a URL ({@code scheme:...}, but not a Windows drive such as {@code C:\}) is refused rather
   * than taken for a relative directory named {@code redis:}. The reason never repeats the value,
   * which may hold a password.
   */
  static JournalLocation parseJournal(String value) throws RefusedValue {
    String v = value.trim();
    int colon = v.indexOf(':');
    if (colon > 1 && v.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      String scheme = v.substring(0, colon).toLowerCase(Locale.ROOT);
      if (!scheme.equals("redis") && !scheme.equals("rediss")) {
        throw new RefusedValue(JOURNAL_ACCEPTED);
      }
      return JournalLocation.redis(parseRedisUrl(v));
    }
    Path path = parsePath(value);
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new RefusedValue("expected a directory (created if missing), not a file");
    }
    return JournalLocation.directory(path);
  }

  private static URI parseRedisUrl(String v) throws RefusedValue {
    URI uri;
    try {
      uri = new URI(v);
    } catch (java.net.URISyntaxException e) {
      throw new RefusedValue("not a valid URL; " + JOURNAL_ACCEPTED);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new RefusedValue("the Redis URL names no host; " + JOURNAL_ACCEPTED);
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw new RefusedValue("a Redis URL takes no query or fragment; " + JOURNAL_ACCEPTED);
    }
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/") && !path.matches("/[0-9]{1,5}")) {
      throw new RefusedValue("the Redis database must be a number, as /0; " + JOURNAL_ACCEPTED);
    }
    return uri;
  }

  /**
   * A positive duration such as {@code 15s} (for {@code sweep --every}).
   *
   * @throws IllegalArgumentException naming what is accepted
   */
  public static Duration parseInterval(String value) {
    try {
      Duration d = Durations.parse(value);
      if (d.isZero() || d.isNegative()) {
        throw new RefusedValue("expected a positive duration");
      }
      return d;
    } catch (RefusedValue e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /** A lease's time to live: from 1 s (renewed every third of it) to 1 h. */
  static Duration parseLeaseTtl(String value) throws RefusedValue {
    Duration ttl = Durations.parse(value);
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofHours(1)) > 0) {
      throw new RefusedValue("expected a duration from 1s to 1h, e.g. 30s");
    }
    return ttl;
  }

  /**
   * A CA file that exists, can be read and has a certificate line. Its certificates are parsed
   * later, with the client: this runs in premain, which loads no X.509 code.
   */
  static Path parseCaFile(String value) throws RefusedValue {
    Path path = parsePath(value);
    String problem = CaCertificates.problemWith(path);
    if (problem != null) {
      throw new RefusedValue(problem);
    }
    return path;
  }

  /** A proxy URL or {@code none}; the reason never repeats the value, which may hold a password. */
  static ProxySetting parseProxy(String value) throws RefusedValue {
    try {
      return ProxySetting.parse(value);
    } catch (IllegalArgumentException e) {
      throw new RefusedValue(e.getMessage());
    }
  }

  /** {@code auto} (true: track what the app creates) or {@code off} (false), in any case. */
  static Boolean parseTrack(String value) throws RefusedValue {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("auto")) {
      return Boolean.TRUE;
    }
    if (v.equals("off")) {
      return Boolean.FALSE;
    }
    throw new RefusedValue("accepted: auto (track the tasks the application creates) or off");
  }

  static URI parseBaseUrl(String value, boolean allowInsecure) throws RefusedValue {
    try {
      return BaseUrl.parse(value, allowInsecure);
    } catch (IllegalArgumentException e) {
      throw new RefusedValue(e.getMessage());
    }
  }
}
