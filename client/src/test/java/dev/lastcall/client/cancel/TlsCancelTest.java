package dev.lastcall.client.cancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.client.TasksClient;
import dev.lastcall.client.tls.TlsFailure;
import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.TaskView;
import dev.lastcall.emulator.tls.CertificateAuthority;
import dev.lastcall.emulator.tls.IssuedCertificate;
import dev.lastcall.emulator.tls.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk cancel against the emulator over TLS (h2 offered), with good and bad certificates: a TLS
 * failure no retry can mend is FAILED at once, after one attempt, with a detail in a user's words;
 * the emulator confirms the task was left alone. A {@code caFile} CA makes the same server work.
 */
class TlsCancelTest {
  static final String KEY = "bb_7e57c0ffee7e57c0ffee7e57c0ffee";

  /** Long, so that "at once" is plainly not "at the deadline". */
  static final Duration DEADLINE = Duration.ofSeconds(30);

  /** What "at once" allows, with a cold JVM's first handshake on a loaded machine. */
  static final Duration AT_ONCE = Duration.ofSeconds(5);

  static CertificateAuthority ca;

  Emulator emulator;
  TasksClient client;
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  static void authority() {
    ca = TestCertificates.authority();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (client != null) {
      client.close();
    }
    if (emulator != null) {
      emulator.close();
    }
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  Emulator serving(IssuedCertificate certificate) throws IOException {
    emulator =
        Emulator.builder()
            .tlsCertificate(certificate.certificateChainPem(), certificate.privateKeyPem())
            .apiKey(KEY)
            .pendingFor(Duration.ZERO)
            .start();
    return emulator;
  }

  TasksClient.Builder clientFor(String baseUrl) {
    return TasksClient.builder().baseUrl(baseUrl).apiKey(KEY);
  }

  /** Cancels {@code n} of the emulator's tasks; returns the report. */
  CancelReport cancel(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(emulator.createTask(KEY, "task " + i));
    }
    return client.cancelAll(ids, DEADLINE);
  }

  /** One task FAILED at once after one attempt with {@code detail}, and left running. */
  void assertFailedAtOnce(CancelReport report, String detail) {
    assertEquals(1, report.tasks().size());
    TaskOutcome task = report.tasks().get(0);
    assertEquals(Outcome.FAILED, task.outcome(), task.toString());
    assertEquals(1, task.attempts(), task.toString());
    assertEquals(detail, task.detail());
    assertTrue(report.duration().compareTo(AT_ONCE) < 0, "took " + report.duration() + ": " + task);
    assertEquals("processing", emulator.task(task.id()).map(TaskView::status).orElseThrow());
    assertEquals(0, emulator.requestCount(), "no request got through");
  }

  @Test
  void aCertificateNobodyTrustsFailsAtOnceNamingTheFix() throws IOException {
    serving(ca.issueForLocalhost());
    client = clientFor(emulator.baseUrl()).build();

    assertFailedAtOnce(
        cancel(1),
        "TLS: certificate for 127.0.0.1 is not trusted: PKIX path building failed; add the CA"
            + " with caFile or the JVM trust store");
  }

  @Test
  void aSingleCallSaysTheSameInAUsersWords() throws IOException {
    serving(ca.issueForLocalhost());
    client = clientFor(emulator.baseUrl()).build();
    String id = emulator.createTask(KEY, "task");

    SSLException e = assertThrows(SSLException.class, () -> client.status(id));

    assertTrue(
        e.getMessage()
            .endsWith(
                "TLS: certificate for 127.0.0.1 is not trusted: PKIX path building failed; add the"
                    + " CA with caFile or the JVM trust store"),
        e.getMessage());
    assertEquals(0, emulator.requestCount(), "no request got through");
  }

  @Test
  void theSameServerWorksWithItsCaAdded(@TempDir Path dir) throws IOException {
    serving(ca.issueForLocalhost());
    client = clientFor(emulator.baseUrl()).caFile(ca.writePem(dir.resolve("ca.pem"))).build();

    CancelReport report = cancel(3);

    for (TaskOutcome task : report.tasks()) {
      assertEquals(Outcome.STOPPED, task.outcome(), task.toString());
      assertEquals("stopped", emulator.task(task.id()).map(TaskView::status).orElseThrow());
    }
    assertTrue(
        emulator.connectionCounts().getOrDefault("h2", 0L) >= 1,
        "over h2: " + emulator.connectionCounts());
  }

  @Test
  void aCertificateForAnotherHostFailsAtOnce() throws IOException {
    serving(TestCertificates.wrongHostname(ca));
    client = clientFor(emulator.baseUrl()).trustAlso(List.of(ca.certificate())).build();

    assertFailedAtOnce(
        cancel(1),
        "TLS: certificate is for " + TestCertificates.WRONG_HOSTNAME + ", not 127.0.0.1");
  }

  @Test
  void anExpiredCertificateFailsAtOnceSayingWhen() throws IOException {
    IssuedCertificate expired = ca.issueExpiredForLocalhost();
    serving(expired);
    client = clientFor(emulator.baseUrl()).trustAlso(List.of(ca.certificate())).build();

    SimpleDateFormat utc = new SimpleDateFormat("yyyy-MM-dd HH:mm 'UTC'", Locale.US);
    utc.setTimeZone(TimeZone.getTimeZone("UTC"));
    assertFailedAtOnce(
        cancel(1),
        "TLS: certificate for 127.0.0.1 expired on "
            + utc.format(expired.certificate().getNotAfter()));
  }

  @Test
  void aSelfSignedCertificateIsNotTrustedEvenWithACaAdded() throws IOException {
    serving(TestCertificates.selfSignedForLocalhost());
    client = clientFor(emulator.baseUrl()).trustAlso(List.of(ca.certificate())).build();

    assertFailedAtOnce(
        cancel(1),
        "TLS: certificate for 127.0.0.1 is not trusted: PKIX path building failed; add the CA"
            + " with caFile or the JVM trust store");
  }

  @Test
  void aPlainHttpServerOnAnHttpsUrlFailsAtOnce() throws IOException {
    emulator = Emulator.builder().apiKey(KEY).pendingFor(Duration.ZERO).start();
    String https = emulator.baseUrl().replace("http://", "https://");
    client = clientFor(https).build();

    assertFailedAtOnce(
        cancel(1),
        "TLS: the server at 127.0.0.1:"
            + emulator.port()
            + " speaks plain HTTP, not HTTPS; check the baseUrl's scheme and port");
  }

  @Test
  void aHandshakeThatNeverCompletesIsBoundedByTheDeadline() throws IOException {
    ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    closing.add(silent);
    closing.add(
        () -> {
          for (Socket s : accepted) {
            s.close();
          }
        });
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  accepted.add(silent.accept()); // Accepts, then says nothing.
                }
              } catch (IOException closed) {
                // The test is over.
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    client = clientFor("https://127.0.0.1:" + silent.getLocalPort()).build();

    Duration deadline = Duration.ofMillis(1500);
    CancelReport report = client.cancelAll(List.of("ac2wbk3lXAufdSdIscsirg"), deadline);

    TaskOutcome task = report.tasks().get(0);
    assertEquals(Outcome.TIMED_OUT, task.outcome(), task.toString());
    assertTrue(
        report.duration().compareTo(deadline.plusSeconds(1)) < 0, "took " + report.duration());
  }

  @Test
  void manyTasksFailingOnTlsMakeOneLine() throws IOException {
    serving(ca.issueForLocalhost());
    client = clientFor(emulator.baseUrl()).build();

    CancelReport report = cancel(20);

    for (TaskOutcome task : report.tasks()) {
      assertEquals(Outcome.FAILED, task.outcome(), task.toString());
      assertEquals(1, task.attempts(), task.toString());
    }
    assertTrue(report.duration().compareTo(AT_ONCE) < 0, "took " + report.duration());
    assertEquals(
        "20 tasks not cancelled, TLS: certificate for 127.0.0.1 is not trusted: PKIX path"
            + " building failed; add the CA with caFile or the JVM trust store",
        TlsFailure.lineFor(report).orElseThrow());
    assertEquals(20L, emulator.countsByStatus().get("processing"));
  }
}
