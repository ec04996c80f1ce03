package dev.lastcall.client.proxy;

import java.io.IOException;
import okhttp3.HttpUrl;

/**
 * Proxy failures no retry can mend, in a user's words: the proxy wants credentials there are none
 * of, refuses the ones given, or refuses the tunnel to the API. The bulk cancel settles a task
 * {@code FAILED} at once on them, with {@link #describe}'s text as the detail. The texts name the
 * proxy's address and where the setting came from, never the user or password.
 */
public final class ProxyFailure {
  /** Every detail {@link #describe} makes starts with this. */
  public static final String PREFIX = "proxy: ";

  private static final String TUNNEL_REFUSED = "Unexpected response code for CONNECT: ";

  private ProxyFailure() {}

  /** Thrown by the proxy authentication with the words to report. */
  static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /**
   * What went wrong, starting with {@link #PREFIX}; null when {@code failure} is no final proxy
   * failure.
   *
   * @param url the request that failed, for the host the tunnel was for
   */
  public static String describe(IOException failure, HttpUrl url) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof Refused) {
        return t.getMessage();
      }
      String message = t.getMessage();
      if (message != null && message.startsWith(TUNNEL_REFUSED)) {
        String code = message.substring(TUNNEL_REFUSED.length()).trim();
        String tunnel = url.host() + ":" + url.port();
        // Some proxies (tinyproxy) answer wrong credentials with 401 rather than 407.
        if (code.equals("401") || code.equals("407")) {
          return PREFIX
              + "the proxy refused the credentials (HTTP "
              + code
              + ") for a tunnel to "
              + tunnel
              + "; check the proxy's user and password";
        }
        return PREFIX + "the proxy refused a tunnel to " + tunnel + " (HTTP " + code + ")";
      }
    }
    return null;
  }
}
