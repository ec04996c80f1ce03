package dev.lastcall.client.cancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.client.TasksClient;
import dev.lastcall.client.internal.ConnectionEvents;
import dev.lastcall.client.internal.TaskRequests;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bulk cancel's first call goes alone when no connection is pooled; a first call whose
 * handshake never completes holds the others for at most {@link FirstCallGate#MAX_HOLD_NANOS}.
 */
class FirstCallGateTest {
  static final String KEY = "bb_5ecret0f1ce5ecret0f1ce5ecret0f1ce";

  /** Accepts connections and says nothing: a TLS handshake that never completes. */
  ServerSocket silent;

  final List<Long> accepted = new CopyOnWriteArrayList<>();
  final List<Socket> sockets = new CopyOnWriteArrayList<>();
  TasksClient client;

  @BeforeEach
  void setUp() throws IOException {
    silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!silent.isClosed()) {
                try {
                  Socket socket = silent.accept();
                  accepted.add(System.nanoTime());
                  sockets.add(socket);
                } catch (IOException closed) {
                  return;
                }
              }
            },
            "silent-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    client =
        TasksClient.builder()
            .baseUrl("https://127.0.0.1:" + silent.getLocalPort())
            .apiKey(KEY)
            .build();
  }

  @AfterEach
  void tearDown() throws IOException {
    client.close();
    silent.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  @Test
  void aBulkCancelWithCannedAnswersNeverHoldsItsCallsBack() {
    // What the warm-up runs: nothing will connect, so a gate could only wait for its timer.
    OkHttpClient http = new OkHttpClient();
    TaskRequests requests = new TaskRequests(HttpUrl.get("https://127.0.0.1:9/"), KEY);
    ConnectionEvents events = new ConnectionEvents(new Dispatcher(), 10);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      BulkCancellation connecting =
          new BulkCancellation(http, requests, scheduler, events, Duration.ofSeconds(4));
      BulkCancellation offline =
          BulkCancellation.offline(http, requests, scheduler, events, Duration.ofSeconds(4));

      assertTrue(connecting.holdsBackForAConnection(), "no connection pooled: the gate holds");
      assertFalse(offline.holdsBackForAConnection());
      connecting.finish();
      offline.finish();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void aFirstCallThatNeverConnectsHoldsTheOthersOnlyBriefly() {
    long start = System.nanoTime();
    CancelReport report =
        client.cancelAll(List.of("task-a", "task-b", "task-c"), Duration.ofSeconds(4));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    for (TaskOutcome task : report.tasks()) {
      assertEquals(Outcome.TIMED_OUT, task.outcome(), task.toString());
    }
    assertTrue(tookMs < 4_500, "returned after " + tookMs + " ms");
    // The first alone; the other two once the hold ran out, counted from the cancel's start (never
    // sooner, whatever the load).
    assertTrue(accepted.size() >= 3, "connections accepted: " + accepted.size());
    long othersAfterMs = TimeUnit.NANOSECONDS.toMillis(accepted.get(1) - start);
    long boundMs = TimeUnit.NANOSECONDS.toMillis(FirstCallGate.MAX_HOLD_NANOS);
    assertTrue(
        othersAfterMs >= boundMs, "the others came " + othersAfterMs + " ms after the start");
  }
}
