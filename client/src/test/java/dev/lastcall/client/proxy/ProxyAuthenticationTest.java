package dev.lastcall.client.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import okhttp3.Credentials;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The 407 answers a proxy that replies 407 to wrong credentials (Squid does) would get. */
class ProxyAuthenticationTest {
  static final String PASSWORD = "hunter2-proxy";
  final Request connect =
      new Request.Builder().url("https://127.0.0.1:443/").header("Host", "127.0.0.1:443").build();

  static Response answer(Request request, int code, String challenge) {
    return new Response.Builder()
        .request(request)
        .protocol(Protocol.HTTP_1_1)
        .code(code)
        .message("Proxy Authentication Required")
        .header("Proxy-Authenticate", challenge)
        .build();
  }

  @Test
  void credentialsGoWithTheFirstConnect() throws IOException {
    ProxyAuthentication auth =
        new ProxyAuthentication(ProxySetting.http("p", 1, "u", PASSWORD), "the proxy setting");
    Request authed = auth.authenticate(null, answer(connect, 407, "OkHttp-Preemptive"));
    assertEquals(
        Credentials.basic("u", PASSWORD),
        authed.header("Proxy-Authorization"),
        "Basic, preemptive");
  }

  @Test
  void credentialsRefusedWith407AreFinalAndSaySo() {
    ProxyAuthentication auth =
        new ProxyAuthentication(ProxySetting.http("p", 1, "u", PASSWORD), "HTTPS_PROXY");
    Request authed =
        connect
            .newBuilder()
            .header("Proxy-Authorization", Credentials.basic("u", PASSWORD))
            .build();
    IOException e =
        assertThrows(
            ProxyFailure.Refused.class,
            () -> auth.authenticate(null, answer(authed, 407, "Basic realm=\"corp\"")));
    assertEquals(
        "proxy: proxy refused the credentials from HTTPS_PROXY (HTTP 407); check the user and"
            + " password",
        e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD));
  }

  @Test
  void noCredentialsSendNothingFirstAndSaySoWhenAsked() throws IOException {
    ProxyAuthentication auth = new ProxyAuthentication(null, "the proxy setting");
    assertNull(auth.authenticate(null, answer(connect, 407, "OkHttp-Preemptive")));
    IOException e =
        assertThrows(
            ProxyFailure.Refused.class,
            () -> auth.authenticate(null, answer(connect, 407, "Basic realm=\"corp\"")));
    assertEquals(
        "proxy: proxy asks for credentials (HTTP 407); give them as"
            + " http://user:password@host:port in the proxy setting or HTTPS_PROXY",
        e.getMessage());
  }
}
