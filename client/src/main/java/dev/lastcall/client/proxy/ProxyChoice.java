package dev.lastcall.client.proxy;

import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Which proxy a client uses, decided once when it is built, highest first:
 *
 * <ol>
 *   <li>the {@code proxy} setting ({@link ProxySetting}: a proxy, or {@code none});
 *   <li>the JVM's own: {@code https.proxyHost}/{@code https.proxyPort} (and {@code
 *       http.nonProxyHosts}), {@code http.proxyHost} for an {@code http} base URL, {@code
 *       java.net.useSystemProxies=true}, or a default {@link ProxySelector} the application
 *       installed. The JVM's selector then decides, per connection, as it does for the JDK's own
 *       clients;
 *   <li>the environment: {@code https_proxy}, then {@code HTTPS_PROXY} (for an {@code https} base
 *       URL only), unless {@code no_proxy}/{@code NO_PROXY} names the API's host;
 *   <li>direct.
 * </ol>
 *
 * Immutable; its {@link #toString()} holds no secret.
 */
public final class ProxyChoice {
  /** Where a choice came from, for the one line that names it. */
  public enum Source {
    SETTING("the proxy setting"),
    JVM("the JVM's proxy settings"),
    ENVIRONMENT("the environment"),
    DIRECT("no proxy configured");

    private final String words;

    Source(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  private static final String JDK_SELECTOR = "sun.net.spi.DefaultProxySelector";

  private final Source source;
  private final String name;
  private final ProxySetting proxy;
  private final ProxySelector selector;
  private final String problem;

  private ProxyChoice(Source source, String name, ProxySetting proxy, ProxySelector selector) {
    this(source, name, proxy, selector, null);
  }

  private ProxyChoice(
      Source source, String name, ProxySetting proxy, ProxySelector selector, String problem) {
    this.source = source;
    this.name = name;
    this.proxy = proxy;
    this.selector = selector;
    this.problem = problem;
  }

  /**
   * Decides.
   *
   * @param setting the {@code proxy} setting; null when not set
   * @param scheme the base URL's scheme, {@code https} or {@code http}
   * @param host the base URL's host
   * @param system the JVM's system properties
   * @param jvmSelector {@link ProxySelector#getDefault()}
   * @param env the environment; a proxy there that is no acceptable URL means direct connections
   *     and a {@link #problem()}
   */
  public static ProxyChoice choose(
      ProxySetting setting,
      String scheme,
      String host,
      Properties system,
      ProxySelector jvmSelector,
      Map<String, String> env) {
    if (setting != null) {
      return new ProxyChoice(Source.SETTING, "proxy", setting, null);
    }
    boolean https = "https".equalsIgnoreCase(scheme);
    String jvmProperty = https ? "https.proxyHost" : "http.proxyHost";
    if (!blank(system.getProperty(jvmProperty))) {
      return new ProxyChoice(Source.JVM, jvmProperty, null, jvmSelector);
    }
    if ("true".equalsIgnoreCase(system.getProperty("java.net.useSystemProxies", "").trim())) {
      return new ProxyChoice(Source.JVM, "java.net.useSystemProxies", null, jvmSelector);
    }
    if (jvmSelector != null && !jvmSelector.getClass().getName().equals(JDK_SELECTOR)) {
      return new ProxyChoice(
          Source.JVM, "ProxySelector " + jvmSelector.getClass().getName(), null, jvmSelector);
    }
    if (https) {
      String variable = !blank(env.get("https_proxy")) ? "https_proxy" : "HTTPS_PROXY";
      String value = env.get(variable);
      if (!blank(value)) {
        String noProxyVariable = !blank(env.get("no_proxy")) ? "no_proxy" : "NO_PROXY";
        if (NoProxy.matches(env.get(noProxyVariable), host)) {
          return new ProxyChoice(Source.DIRECT, noProxyVariable, ProxySetting.none(), null);
        }
        try {
          return new ProxyChoice(Source.ENVIRONMENT, variable, ProxySetting.parse(value), null);
        } catch (IllegalArgumentException e) {
          return new ProxyChoice(
              Source.DIRECT,
              null,
              ProxySetting.none(),
              null,
              "invalid environment variable "
                  + variable
                  + ": "
                  + e.getMessage()
                  + "; connecting directly");
        }
      }
    }
    return new ProxyChoice(Source.DIRECT, null, ProxySetting.none(), null);
  }

  /**
   * What was wrong with the environment's proxy, in one line that does not repeat its value; null
   * when nothing was.
   */
  public String problem() {
    return problem;
  }

  public Source source() {
    return source;
  }

  /**
   * The fixed proxy (or {@link ProxySetting#none()}); null when the JVM's selector decides per
   * connection.
   */
  public ProxySetting proxy() {
    return proxy;
  }

  /** The JVM's selector when it decides; null otherwise. */
  public ProxySelector selector() {
    return selector;
  }

  /**
   * For example {@code http://proxy:3128 (with credentials), from the proxy setting}, {@code none,
   * from no_proxy}, {@code the JVM's https.proxyHost}; no secret.
   */
  @Override
  public String toString() {
    if (selector != null) {
      return "the JVM's " + name;
    }
    if (name == null) {
      return "direct, " + source.words();
    }
    return proxy + ", from " + (source == Source.SETTING ? "the proxy setting" : name);
  }

  private static boolean blank(String s) {
    return s == null || s.trim().isEmpty();
  }

  /** {@code NO_PROXY} as curl and Go read it. */
  static final class NoProxy {
    private NoProxy() {}

    /**
     * True if the comma-separated {@code list} names {@code host}: {@code *} names every host; an
     * entry names its host and every subdomain, with or without a leading {@code .} or {@code *.};
     * an IP literal only itself; a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}) every IP
     * literal host in it (names are not looked up, as in curl and Go). A {@code :port} on an entry
     * is ignored, and so is case.
     */
    static boolean matches(String list, String host) {
      if (list == null || list.isBlank()) {
        return false;
      }
      String target = bare(host.toLowerCase(Locale.ROOT));
      for (String raw : list.split(",")) {
        String entry = raw.trim().toLowerCase(Locale.ROOT);
        if (entry.isEmpty()) {
          continue;
        }
        if (entry.equals("*")) {
          return true;
        }
        entry = bare(withoutPort(entry));
        if (entry.startsWith("*.")) {
          entry = entry.substring(2);
        } else if (entry.startsWith(".")) {
          entry = entry.substring(1);
        }
        if (entry.isEmpty()) {
          continue;
        }
        if (entry.indexOf('/') >= 0) {
          if (inBlock(entry, target)) {
            return true;
          }
          continue;
        }
        if (target.equals(entry) || (!isIpLiteral(target) && target.endsWith("." + entry))) {
          return true;
        }
      }
      return false;
    }

    private static String withoutPort(String entry) {
      if (entry.startsWith("[")) {
        int close = entry.indexOf(']');
        return close < 0 ? entry : entry.substring(0, close + 1);
      }
      int colon = entry.indexOf(':');
      // One colon is host:port; more is an IPv6 literal without brackets.
      if (colon >= 0 && entry.indexOf(':', colon + 1) < 0) {
        return entry.substring(0, colon);
      }
      return entry;
    }

    /** True if {@code host} is an IP literal inside the CIDR block {@code cidr}. */
    static boolean inBlock(String cidr, String host) {
      int slash = cidr.indexOf('/');
      byte[] block = literal(bare(cidr.substring(0, slash)));
      byte[] address = literal(host);
      if (block == null || address == null || block.length != address.length) {
        return false;
      }
      int prefix;
      try {
        prefix = Integer.parseInt(cidr.substring(slash + 1));
      } catch (NumberFormatException e) {
        return false;
      }
      if (prefix < 0 || prefix > block.length * 8) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((block[bit / 8] & mask) != (address[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    /** The bytes of an IPv4 or IPv6 literal; null for anything else (never a DNS lookup). */
    private static byte[] literal(String host) {
      if (!isIpLiteral(host) || host.indexOf('%') >= 0) {
        return null;
      }
      try {
        return InetAddress.getByName(host).getAddress(); // a literal: parsed, not looked up
      } catch (UnknownHostException | SecurityException e) {
        return null;
      }
    }

    private static boolean isIpLiteral(String host) {
      return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    private static String bare(String host) {
      return host.startsWith("[") && host.endsWith("]")
          ? host.substring(1, host.length() - 1)
          : host;
    }
  }
}
