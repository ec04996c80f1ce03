package dev.lastcall.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.client.proxy.ProxySetting;
import dev.lastcall.client.tls.TlsFailure;
import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.TaskView;
import dev.lastcall.emulator.tls.CertificateAuthority;
import dev.lastcall.emulator.tls.IssuedCertificate;
import dev.lastcall.emulator.tls.TestCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk cancel through a real proxy process (tinyproxy) to the emulator over HTTPS: tunnels by
 * CONNECT, with and without Basic authentication; a wrong or missing password fails at once, saying
 * so, without the password anywhere.
 */
class ThroughProxyTest {
  static final String KEY = "bb_9e0c7a1f9e0c7a1f9e0c7a1f9e0c7a1f";
  static final String USER = "alice";
  static final String PASSWORD = "pr0xy-Pa55w0rd";
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;
  final CertificateAuthority ca = TestCertificates.authority();
  Emulator emulator;
  Tinyproxy proxy;
  TasksClient client;

  @BeforeEach
  void emulator() throws IOException {
    Tinyproxy.executable();
    IssuedCertificate certificate = ca.issueForLocalhost();
    emulator =
        Emulator.builder()
            .tlsCertificate(certificate.certificateChainPem(), certificate.privateKeyPem())
            .apiKey(KEY)
            .pendingFor(Duration.ZERO)
            .start();
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  TasksClient.Builder clientBuilder() {
    return TasksClient.builder()
        .baseUrl(emulator.baseUrl())
        .apiKey(KEY)
        .trustAlso(List.of(ca.certificate()))
        .proxyEnvironment(Map.of());
  }

  CancelReport cancel(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(emulator.createTask(KEY, "task " + i));
    }
    return client.cancelAll(ids, DEADLINE);
  }

  String emulatorAddress() {
    return "127.0.0.1:" + emulator.port();
  }

  void assertAllStopped(CancelReport report) {
    for (TaskOutcome task : report.tasks()) {
      assertEquals(Outcome.STOPPED, task.outcome(), task.toString());
      assertEquals("stopped", emulator.task(task.id()).map(TaskView::status).orElseThrow());
    }
  }

  void assertFailedAtOnce(CancelReport report, String detail) {
    for (TaskOutcome task : report.tasks()) {
      assertEquals(Outcome.FAILED, task.outcome(), task.toString());
      assertEquals(1, task.attempts(), task.toString());
      assertEquals(detail, task.detail());
      assertFalse(task.toString().contains(PASSWORD));
      assertEquals("processing", emulator.task(task.id()).map(TaskView::status).orElseThrow());
    }
    assertTrue(report.duration().compareTo(Duration.ofSeconds(5)) < 0, "took " + report.duration());
    assertEquals(0, emulator.requestCount());
  }

  @Test
  void cancelsThroughAProxyWithoutAuthentication() throws IOException {
    proxy = Tinyproxy.start(dir, null, null);
    client = clientBuilder().proxy(ProxySetting.parse("http://127.0.0.1:" + proxy.port())).build();

    assertAllStopped(cancel(5));

    assertTrue(proxy.connectsTo(emulatorAddress()) >= 1, proxy.log());
  }

  @Test
  void cancelsThroughAProxyWithBasicAuthentication() throws IOException {
    proxy = Tinyproxy.start(dir, USER, PASSWORD);
    client =
        clientBuilder()
            .proxy(
                ProxySetting.parse(
                    "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + proxy.port()))
            .build();

    assertAllStopped(cancel(5));

    assertTrue(proxy.connectsTo(emulatorAddress()) >= 1, proxy.log());
    assertFalse(client.toString().contains(PASSWORD));
    assertFalse(client.proxyChoice().toString().contains(PASSWORD));
  }

  @Test
  void aWrongPasswordFailsAtOnceSayingSo() throws IOException {
    proxy = Tinyproxy.start(dir, USER, PASSWORD);
    client =
        clientBuilder()
            .proxy(ProxySetting.parse("http://" + USER + ":wrong@127.0.0.1:" + proxy.port()))
            .build();

    CancelReport report = cancel(3);

    // tinyproxy answers wrong credentials with 401; a 407 would read the same.
    String detail =
        "proxy: the proxy refused the credentials (HTTP 401) for a tunnel to "
            + emulatorAddress()
            + "; check the proxy's user and password";
    assertFailedAtOnce(report, detail);
    assertEquals("3 tasks not cancelled, " + detail, TlsFailure.lineFor(report).orElseThrow());
  }

  @Test
  void noCredentialsForAProxyThatWantsThemFailsAtOnce() throws IOException {
    proxy = Tinyproxy.start(dir, USER, PASSWORD);
    client = clientBuilder().proxy(ProxySetting.parse("http://127.0.0.1:" + proxy.port())).build();

    assertFailedAtOnce(
        cancel(1),
        "proxy: proxy 127.0.0.1:"
            + proxy.port()
            + " asks for credentials (HTTP 407); give them as http://user:password@host:port in"
            + " the proxy setting or HTTPS_PROXY");
  }

  @Test
  void aTunnelTheProxyRefusesFailsAtOnce() throws IOException {
    proxy = Tinyproxy.start(dir, null, null, "ConnectPort 443"); // Tunnels to 443 only.
    client = clientBuilder().proxy(ProxySetting.parse("http://127.0.0.1:" + proxy.port())).build();

    assertFailedAtOnce(
        cancel(1), "proxy: the proxy refused a tunnel to " + emulatorAddress() + " (HTTP 403)");
  }

  /**
   * The JVM's https.proxyHost, read by the JDK's own ProxySelector at each connection. System
   * properties are JVM-wide, so they are restored at once (this suite runs no test in parallel).
   */
  @Test
  void theJvmsProxyPropertiesAreUsedAndTheirNonProxyHosts() throws IOException {
    proxy = Tinyproxy.start(dir, null, null);
    String[] names = {"https.proxyHost", "https.proxyPort", "http.nonProxyHosts"};
    String[] saved = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      saved[i] = System.getProperty(names[i]);
    }
    try {
      System.setProperty("https.proxyHost", "127.0.0.1");
      System.setProperty("https.proxyPort", String.valueOf(proxy.port()));
      // The JDK adds loopback to any non-empty list; only an empty one lets 127.0.0.1 through.
      System.setProperty("http.nonProxyHosts", "");
      client =
          clientBuilder().proxyEnvironment(Map.of("HTTPS_PROXY", "http://127.0.0.1:9")).build();
      assertEquals("the JVM's https.proxyHost", client.proxyChoice().toString());
      assertAllStopped(cancel(2));
      long through = proxy.connectsTo(emulatorAddress());
      assertTrue(through >= 1, proxy.log());
      client.close();

      System.setProperty("http.nonProxyHosts", "example.invalid|127.0.0.1");
      client = clientBuilder().build();
      assertAllStopped(cancel(2));
      assertEquals(through, proxy.connectsTo(emulatorAddress()), "direct: " + proxy.log());
    } finally {
      for (int i = 0; i < names.length; i++) {
        if (saved[i] == null) {
          System.clearProperty(names[i]);
        } else {
          System.setProperty(names[i], saved[i]);
        }
      }
    }
  }

  @Test
  void theEnvironmentsProxyIsUsedUnlessNoProxyNamesTheHost() throws IOException {
    proxy = Tinyproxy.start(dir, USER, PASSWORD);
    String url = "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + proxy.port();
    client = clientBuilder().proxyEnvironment(Map.of("HTTPS_PROXY", url)).build();

    assertAllStopped(cancel(2));
    long through = proxy.connectsTo(emulatorAddress());
    assertTrue(through >= 1, proxy.log());
    client.close();

    client =
        clientBuilder()
            .proxyEnvironment(Map.of("HTTPS_PROXY", url, "NO_PROXY", "localhost,127.0.0.1"))
            .build();
    assertAllStopped(cancel(2));
    assertEquals(through, proxy.connectsTo(emulatorAddress()), "direct: " + proxy.log());
  }
}
