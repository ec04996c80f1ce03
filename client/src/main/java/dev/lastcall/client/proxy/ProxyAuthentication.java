package dev.lastcall.client.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import okhttp3.Authenticator;
import okhttp3.Credentials;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

/**
 * Answers a proxy's {@code 407}: {@code Proxy-Authorization: Basic} with the configured user and
 * password, sent with the first {@code CONNECT} already (OkHttp asks before connecting). A proxy
 * that refuses them, or asks when there are none, ends the call with a {@link ProxyFailure.Refused}
 * that says so, rather than a retry: the answer would be the same.
 */
public final class ProxyAuthentication implements Authenticator {
  private final String header; // Proxy-Authorization value; null without credentials. A secret.
  private final String from; // Where the credentials came from, for the refusal's words.

  public ProxyAuthentication(ProxySetting credentials, String from) {
    this.header =
        credentials != null && credentials.hasCredentials()
            ? Credentials.basic(credentials.user(), credentials.password(), StandardCharsets.UTF_8)
            : null;
    this.from = from;
  }

  @Override
  public Request authenticate(Route route, Response response) throws IOException {
    if (response.code() != 407) {
      return null;
    }
    boolean preemptive = "OkHttp-Preemptive".equals(response.header("Proxy-Authenticate"));
    String proxy = route == null ? "proxy" : "proxy " + address(route.proxy().address());
    if (header == null) {
      if (preemptive) {
        return null; // Nothing to offer before the proxy asks.
      }
      throw new ProxyFailure.Refused(
          ProxyFailure.PREFIX
              + proxy
              + " asks for credentials (HTTP 407); give them as http://user:password@host:port in"
              + " the proxy setting or HTTPS_PROXY");
    }
    if (response.request().header("Proxy-Authorization") != null) {
      throw new ProxyFailure.Refused(
          ProxyFailure.PREFIX
              + proxy
              + " refused the credentials from "
              + from
              + " (HTTP 407); check the user and password");
    }
    return response.request().newBuilder().header("Proxy-Authorization", header).build();
  }

  private static String address(SocketAddress address) {
    if (address instanceof InetSocketAddress) {
      InetSocketAddress inet = (InetSocketAddress) address;
      return inet.getHostString() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
