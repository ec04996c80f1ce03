package dev.lastcall.client.proxy;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * A proxy as the {@code proxy} setting or {@code HTTPS_PROXY} spells it: {@code
 * http://[user:password@]host:port} ({@code http://} may be left out; the port defaults to 80), or
 * {@code none} for direct connections. HTTPS requests go through it by {@code CONNECT}, so the
 * proxy sees only the host and port; the user and password become {@code Proxy-Authorization}.
 *
 * <p>The password is a secret: it is in no {@link #toString()}, message or exception, and neither
 * is the user name. Immutable.
 */
public final class ProxySetting {
  /** What {@link #parse} accepts, for messages. */
  public static final String ACCEPTED = "expected http://[user:password@]host:port or none";

  private static final ProxySetting NONE = new ProxySetting(null, 0, null, null);

  private final String host;
  private final int port;
  private final String user;
  private final String password;

  private ProxySetting(String host, int port, String user, String password) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
  }

  /** Direct connections, whatever the JVM or the environment say. */
  public static ProxySetting none() {
    return NONE;
  }

  /** An HTTP proxy without credentials. */
  public static ProxySetting http(String host, int port) {
    return new ProxySetting(checkedHost(host), checkedPort(port), null, null);
  }

  /** An HTTP proxy that wants {@code Proxy-Authorization: Basic} with these credentials. */
  public static ProxySetting http(String host, int port, String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    return new ProxySetting(checkedHost(host), checkedPort(port), user, password);
  }

  /**
   * Parses {@code none} or {@code http://[user:password@]host:port}; user and password may be
   * percent-encoded.
   *
   * @throws IllegalArgumentException naming what is wrong and what is accepted, never repeating the
   *     value (it may hold a password)
   */
  public static ProxySetting parse(String value) {
    Objects.requireNonNull(value, "value");
    String text = value.trim();
    if (text.equalsIgnoreCase("none")) {
      return NONE;
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty; " + ACCEPTED);
    }
    if (!text.contains("://")) {
      text = "http://" + text;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL; " + ACCEPTED);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http")) {
      throw new IllegalArgumentException(
          "scheme "
              + scheme
              + " is not supported (the proxy is spoken to in plain http; https requests still go"
              + " through it encrypted, by CONNECT); "
              + ACCEPTED);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("no host; " + ACCEPTED);
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("a path, query or fragment is not allowed; " + ACCEPTED);
    }
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null) {
      return http(host, port);
    }
    int colon = userInfo.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("a user without a password; " + ACCEPTED);
    }
    try {
      return http(
          host,
          port,
          percentDecoded(userInfo.substring(0, colon)),
          percentDecoded(userInfo.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad percent-encoding in the user or password; " + ACCEPTED);
    }
  }

  /**
   * A URL's user or password with its {@code %XX} escapes decoded as UTF-8. Unlike {@code
   * URLDecoder} (a form decoder), a {@code +} stays a {@code +}: in a URL's user information it is
   * not a space.
   *
   * @throws IllegalArgumentException for a {@code %} not followed by two hex digits
   */
  static String percentDecoded(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    int i = 0;
    while (i < raw.length()) {
      int escape = raw.indexOf('%', i);
      if (escape != i) { // a run of plain characters, encoded whole (surrogate pairs intact)
        int end = escape < 0 ? raw.length() : escape;
        bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end;
        continue;
      }
      int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
      if (lo < 0) {
        throw new IllegalArgumentException("bad percent-encoding");
      }
      bytes.write(hi * 16 + lo);
      i += 3;
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** True for {@link #none()}. */
  public boolean isNone() {
    return host == null;
  }

  /** True when a user and password go with it. */
  public boolean hasCredentials() {
    return user != null;
  }

  /** {@code host:port}, or {@code none}: safe to show. */
  public String address() {
    if (isNone()) {
      return "none";
    }
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The java.net proxy; {@link Proxy#NO_PROXY} for none. The host is resolved when connecting. */
  public Proxy proxy() {
    return isNone()
        ? Proxy.NO_PROXY
        : new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  /** {@code http://host:port}, with {@code (with credentials)} when there are some; no secret. */
  @Override
  public String toString() {
    return isNone()
        ? "none"
        : "http://" + address() + (hasCredentials() ? " (with credentials)" : "");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ProxySetting)) {
      return false;
    }
    ProxySetting other = (ProxySetting) o;
    return port == other.port
        && Objects.equals(host, other.host)
        && Objects.equals(user, other.user)
        && Objects.equals(password, other.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, user, password);
  }

  private static String checkedHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("no host; " + ACCEPTED);
    }
    return host;
  }

  private static int checkedPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not 1 to 65535; " + ACCEPTED);
    }
    return port;
  }
}
