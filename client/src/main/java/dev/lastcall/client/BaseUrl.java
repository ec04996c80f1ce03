package dev.lastcall.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one rule for which base URLs the client (and the agent's {@code baseUrl}) accepts: {@code
 * http} or {@code https} with a host, an optional path prefix, no user info, query or fragment;
 * plain {@code http} only to a loopback host unless insecure transport is allowed, since it would
 * send the API key in clear text. Trailing slashes are dropped.
 *
 * <p>JDK types only, no OkHttp and no name lookup: the agent's premain uses it on the application's
 * thread.
 */
public final class BaseUrl {
  /** What is accepted, for messages. */
  public static final String ACCEPTED =
      "expected an http or https URL such as " + ClientDefaults.BASE_URL;

  private BaseUrl() {}

  /**
   * Returns {@code text} as a URI without trailing slashes.
   *
   * @throws IllegalArgumentException saying what is wrong and what is accepted; the message never
   *     repeats the value, which may carry a password
   */
  public static URI parse(String text, boolean allowInsecure) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(ACCEPTED);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")
        || uri.getHost() == null
        || uri.isOpaque()) {
      throw new IllegalArgumentException(ACCEPTED);
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(ACCEPTED + ", with no user info, query or fragment");
    }
    if (scheme.equals("http") && !allowInsecure && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException(
          "plain http to a non-loopback host would send the API key across the"
              + " network in clear text; use https, a loopback address, or set allowInsecure=true");
    }
    String canonical = uri.toString();
    while (canonical.endsWith("/")) {
      canonical = canonical.substring(0, canonical.length() - 1);
    }
    return URI.create(canonical);
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
