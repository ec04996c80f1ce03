package dev.lastcall.agent.tracking;

import java.net.URI;
import java.util.Locale;

/**
 * The API's scheme, host and port (from {@code baseUrl}) and the path its endpoints hang under:
 * only calls to it count. Calls to any other origin pass untouched, whatever their path.
 */
public final class ApiOrigin {
  private final String scheme;
  private final String host;
  private final int port;
  private final String basePath;

  private ApiOrigin(String scheme, String host, int port, String basePath) {
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.basePath = basePath;
  }

  /** The origin of {@code baseUrl} (an http or https URL, as the configuration checked it). */
  public static ApiOrigin of(URI baseUrl) {
    String scheme = baseUrl.getScheme().toLowerCase(Locale.ROOT);
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new ApiOrigin(scheme, bare(baseUrl.getHost()), portOf(scheme, baseUrl.getPort()), path);
  }

  /**
   * The path of {@code uri} below the base path ({@code /api/tasks/...}), or null if {@code uri} is
   * not this origin's.
   */
  String endpointPath(URI uri) {
    String uriScheme = uri.getScheme();
    if (uriScheme == null || uri.getHost() == null) {
      return null;
    }
    String s = uriScheme.toLowerCase(Locale.ROOT);
    if (!s.equals(scheme)
        || !bare(uri.getHost()).equals(host)
        || portOf(s, uri.getPort()) != port) {
      return null;
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!path.startsWith(basePath + "/")) {
      return null;
    }
    return path.substring(basePath.length());
  }

  private static String bare(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  private static int portOf(String scheme, int port) {
    if (port >= 0) {
      return port;
    }
    return scheme.equals("https") ? 443 : 80;
  }

  @Override
  public String toString() {
    return scheme + "://" + host + ":" + port + basePath;
  }
}
