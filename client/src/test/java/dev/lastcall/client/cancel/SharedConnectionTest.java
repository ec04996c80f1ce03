package dev.lastcall.client.cancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.client.TasksClient;
import dev.lastcall.client.TestTransport;
import dev.lastcall.emulator.Emulator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bulk cancel's connections over HTTPS with HTTP/2, counted by the emulator: calls share one
 * connection instead of each opening its own, and closing the client's connections closes them.
 */
class SharedConnectionTest {
  static final String KEY = "bb_5ecret0f1ce5ecret0f1ce5ecret0f1ce";
  static final Duration DEADLINE = Duration.ofSeconds(30);

  Emulator emulator;
  TasksClient client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  void start(int tasks) throws IOException {
    emulator = Emulator.builder().tls().apiKey(KEY).pendingFor(Duration.ZERO).start();
    client = TestTransport.client(TasksClient.builder().apiKey(KEY), emulator);
  }

  List<String> create(int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(emulator.createTask(KEY, "task " + i));
    }
    return ids;
  }

  static void assertAllStopped(CancelReport report, int n) {
    assertEquals(n, report.tasks().size());
    for (TaskOutcome task : report.tasks()) {
      assertEquals(Outcome.STOPPED, task.outcome(), task.toString());
    }
  }

  @Test
  void aThousandCancelsOverHttp2UseAtMostThreeConnections() throws IOException {
    start(1000);
    List<String> ids = create(1000);

    CancelReport report = client.cancelAll(ids, DEADLINE);

    assertAllStopped(report, 1000);
    Map<String, Long> connections = emulator.connectionCounts();
    assertEquals(0L, connections.get("http/1.1"), connections.toString());
    assertTrue(connections.get("h2") >= 1 && connections.get("h2") <= 3, connections.toString());
    assertTrue(emulator.streamCounts().get("h2") >= 1000, emulator.streamCounts().toString());
  }

  @Test
  void withNoConnectionPooledTheFirstCallGoesAloneAndTheOthersShareItsConnection()
      throws IOException {
    start(50);
    List<String> ids = create(50);

    CancelReport report = client.cancelAll(ids, DEADLINE);

    // Without the gate, 50 calls to a host with no pooled connection open up to 50 connections.
    assertAllStopped(report, 50);
    assertEquals(Map.of("http/1.1", 0L, "h2", 1L), emulator.connectionCounts());
  }

  @Test
  void aWarmConnectionCarriesTheWholeCancel() throws IOException {
    start(200);
    List<String> ids = create(200);
    client.status(ids.get(0)); // warm: one connection, HTTP/2

    CancelReport report = client.cancelAll(ids, DEADLINE);

    assertAllStopped(report, 200);
    assertEquals(Map.of("http/1.1", 0L, "h2", 1L), emulator.connectionCounts());
  }

  @Test
  void closeConnectionsClosesThemAllAndTheClientStaysUsable() throws Exception {
    start(3);
    List<String> ids = create(3);
    client.status(ids.get(0));
    assertEquals(1, client.openConnectionCount());
    awaitTrue(() -> emulator.openConnectionCounts().get("h2") == 1L);

    client.closeConnections();

    assertEquals(0, client.openConnectionCount());
    awaitTrue(() -> emulator.openConnectionCounts().get("h2") == 0L);
    assertEquals("processing", client.status(ids.get(1)).status()); // a new connection
    assertEquals(2L, emulator.connectionCounts().get("h2"));
  }

  @Test
  void releasingIdleConnectionsLetsTheWarmConnectionGo() throws Exception {
    start(1);
    List<String> ids = create(1);
    client.status(ids.get(0));
    awaitTrue(() -> emulator.openConnectionCounts().get("h2") == 1L);

    client.releaseIdleConnections();

    awaitTrue(() -> emulator.openConnectionCounts().get("h2") == 0L);
  }

  @Test
  void closingTheClientClosesItsConnections() throws Exception {
    start(1);
    List<String> ids = create(1);
    client.status(ids.get(0));
    awaitTrue(() -> emulator.openConnectionCounts().get("h2") == 1L);

    client.close(); // what the command line does when it is done

    awaitTrue(() -> emulator.openConnectionCounts().get("h2") == 0L);
  }

  @Test
  void theFirstCallGoesAloneOnlyWhenNoConnectionIsPooledAndTheServerMaySpeakHttp2()
      throws Exception {
    start(1);
    List<String> ids = create(1);
    assertTrue(holdsBack(), "nothing known yet");

    client.status(ids.get(0));
    assertFalse(holdsBack(), "a connection is pooled");

    client.releaseIdleConnections();
    assertTrue(holdsBack(), "HTTP/2, none pooled");
  }

  @Test
  void overHttp1TheFirstCallDoesNotGoAloneOnceTheProtocolIsKnown() throws Exception {
    emulator = Emulator.builder().tls().http2(false).apiKey(KEY).start();
    client = TestTransport.client(TasksClient.builder().apiKey(KEY), emulator);
    String id = emulator.createTask(KEY, "one");
    assertTrue(holdsBack(), "nothing known yet");

    client.status(id);
    client.releaseIdleConnections();

    // Each call needs its own connection anyway, and the TLS session to resume is cached.
    assertFalse(holdsBack(), "HTTP/1.1, none pooled");
    assertEquals(Map.of("http/1.1", 1L, "h2", 0L), emulator.connectionCounts());
  }

  @Test
  void aNewConnectionResumesTheTlsSessionOfTheFirst() throws Exception {
    emulator = Emulator.builder().tls().apiKey(KEY).pendingFor(Duration.ZERO).start();
    List<SSLSession> sessions = new CopyOnWriteArrayList<>();
    client =
        TestTransport.client(
            TasksClient.builder().apiKey(KEY),
            emulator,
            http ->
                http.addNetworkInterceptor(
                    chain -> {
                      sessions.add(((SSLSocket) chain.connection().socket()).getSession());
                      return chain.proceed(chain.request());
                    }));
    List<String> ids = create(20);
    client.status(ids.get(0));
    long created = sessions.get(0).getCreationTime();
    while (System.currentTimeMillis() <= created + 1) {
      Thread.onSpinWait(); // a full handshake from now on would have a later creation time
    }

    client.closeConnections();
    CancelReport report = client.cancelAll(ids, DEADLINE);

    assertAllStopped(report, 20);
    assertEquals(2L, emulator.connectionCounts().get("h2"));
    // JSSE gives a resumed session the creation time of the one it resumes.
    for (SSLSession session : sessions) {
      assertEquals(created, session.getCreationTime(), "resumed, not a new session");
    }
  }

  private boolean holdsBack() {
    BulkCancellation bulk = (BulkCancellation) client.startCancelAll(Duration.ofSeconds(5));
    try {
      return bulk.holdsBackForAConnection();
    } finally {
      bulk.finish();
    }
  }

  /** Waits, at most 5 s, for what the emulator sees of a close to catch up with the client. */
  static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "condition not met within 5 s");
      Thread.sleep(5);
    }
  }
}
