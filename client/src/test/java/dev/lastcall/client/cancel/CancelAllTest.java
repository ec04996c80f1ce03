package dev.lastcall.client.cancel;

import static dev.lastcall.client.Bodies.json;
import static dev.lastcall.client.Bodies.notStoppable;
import static dev.lastcall.client.Bodies.statusAnswer;
import static dev.lastcall.client.Bodies.stoppedAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.client.BlockingDns;
import dev.lastcall.client.Bodies;
import dev.lastcall.client.Servers;
import dev.lastcall.client.TasksClient;
import dev.lastcall.client.internal.ApiBodies;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The parallel, deadline-bounded cancel, against a real HTTP server on loopback. */
class CancelAllTest {
  static final String KEY = "bb_5ecret0f1ce5ecret0f1ce5ecret0f1ce";
  static final String ID = "ac2wbk3lXAufdSdIscsirg";
  static final Duration DEADLINE = Duration.ofSeconds(5);
  static final String STOP = "{\"action\":\"stop\"}";

  MockWebServer server;
  Servers.TimedQueue queue;
  TasksClient client;

  @BeforeEach
  void setUp() throws IOException {
    server = new MockWebServer();
    queue = new Servers.TimedQueue();
    server.setDispatcher(queue);
    server.start();
    client = TasksClient.builder().baseUrl(server.url("/")).apiKey(KEY).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  TaskOutcome cancelOne() {
    CancelReport report = client.cancelAll(List.of(ID), DEADLINE);
    assertEquals(1, report.tasks().size());
    return report.tasks().get(0);
  }

  void assertStop(RecordedRequest request) {
    assertEquals("PATCH /api/tasks/" + ID, request.getMethod() + " " + request.getTarget());
    assertEquals(STOP, request.getBody().utf8());
    assertEquals("Bearer " + KEY, request.getHeaders().get("Authorization"));
    assertEquals("application/json", request.getHeaders().get("Content-Type"));
  }

  void assertStatusCheck(RecordedRequest request) {
    assertEquals(
        "GET /api/tasks/" + ID + "/status", request.getMethod() + " " + request.getTarget());
    assertEquals("Bearer " + KEY, request.getHeaders().get("Authorization"));
  }

  @Test
  void okToStopIsStopped() throws Exception {
    queue.enqueue(stoppedAnswer(ID));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.STOPPED, outcome.outcome());
    assertEquals(1, outcome.attempts());
    assertEquals("stopped", outcome.detail());
    assertEquals(200, outcome.httpStatus());
    assertStop(server.takeRequest());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void pendingTaskIsPolledThenStopped() throws Exception {
    queue.enqueue(notStoppable());
    queue.enqueue(statusAnswer(ID, "pending", false));
    queue.enqueue(stoppedAnswer(ID));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.STOPPED, outcome.outcome());
    assertEquals(3, outcome.attempts());
    assertStop(server.takeRequest());
    assertStatusCheck(server.takeRequest());
    assertStop(server.takeRequest());
    assertEquals(3, server.getRequestCount());
  }

  @Test
  void badRequestThenCompletedIsAlreadyDone() throws Exception {
    queue.enqueue(notStoppable());
    queue.enqueue(statusAnswer(ID, "completed", true));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.ALREADY_DONE, outcome.outcome());
    assertEquals("status completed", outcome.detail());
    assertEquals(200, outcome.httpStatus(), "the status answer's, not the stop's 400");
    assertEquals(2, outcome.attempts());
    assertStop(server.takeRequest());
    assertStatusCheck(server.takeRequest());
  }

  @Test
  void badRequestThenStoppedIsStopped() throws Exception {
    queue.enqueue(notStoppable());
    queue.enqueue(statusAnswer(ID, "stopped", true));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.STOPPED, outcome.outcome());
    assertEquals("status stopped", outcome.detail());
  }

  @Test
  void unauthorizedIsFinalAfterOneRequest() {
    queue.enqueue(json(401, ApiBodies.unauthorized()));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.UNAUTHORIZED, outcome.outcome());
    assertEquals("HTTP 401 Unauthorized", outcome.detail());
    assertEquals(401, outcome.httpStatus());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void notFoundIsFinalForStopAndForStatus() throws Exception {
    queue.enqueue(json(404, ApiBodies.error("Task not found")));
    TaskOutcome outcome = cancelOne();
    assertEquals(Outcome.NOT_FOUND, outcome.outcome());
    assertEquals("HTTP 404 Task not found", outcome.detail());
    assertEquals(404, outcome.httpStatus());
    assertEquals(1, server.getRequestCount());

    queue.enqueue(notStoppable());
    queue.enqueue(json(404, ApiBodies.error("Task not found")));
    assertEquals(Outcome.NOT_FOUND, cancelOne().outcome());
    assertEquals(3, server.getRequestCount());
  }

  @Test
  void serverErrorIsRetried() throws Exception {
    queue.enqueue(json(500, ApiBodies.error("Failed to stop task")));
    queue.enqueue(stoppedAnswer(ID));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.STOPPED, outcome.outcome());
    assertEquals(2, outcome.attempts());
    assertStop(server.takeRequest());
    assertStop(server.takeRequest());
  }

  @Test
  void rateLimitedWaitsForRetryAfter() {
    queue.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "1")
            .body(ApiBodies.error("Rate limit exceeded"))
            .build());
    queue.enqueue(stoppedAnswer(ID));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.STOPPED, outcome.outcome());
    long gapMillis = TimeUnit.NANOSECONDS.toMillis(queue.arrivals.get(1) - queue.arrivals.get(0));
    assertTrue(gapMillis >= 900 && gapMillis < 3000, "waited " + gapMillis + " ms");
  }

  @Test
  void rateLimitedWithoutRetryAfterBacksOff() {
    queue.enqueue(json(429, "{\"error\":\"Rate limit exceeded\",\"remaining\":0}"));
    queue.enqueue(stoppedAnswer(ID));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.STOPPED, outcome.outcome());
    assertEquals(2, outcome.attempts());
  }

  @Test
  void retryAfterPastTheDeadlineTimesOutAtOnce() {
    queue.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "30")
            .body(ApiBodies.error("Rate limit exceeded"))
            .build());

    long start = System.nanoTime();
    TaskOutcome outcome = cancelOne();

    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1),
        "should not wait for the deadline");
    assertEquals(Outcome.TIMED_OUT, outcome.outcome());
    assertEquals(1, outcome.attempts());
    assertTrue(outcome.detail().contains("retry after 30 s"), outcome.detail());
  }

  @Test
  void unreadableSuccessIsConfirmedWithStatus() throws Exception {
    queue.enqueue(json(200, "Task stopped"));
    queue.enqueue(statusAnswer(ID, "stopped", true));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.STOPPED, outcome.outcome());
    assertEquals("status stopped", outcome.detail());
    assertStop(server.takeRequest());
    assertStatusCheck(server.takeRequest());
  }

  @Test
  void malformedStatusIsRetriedThenGivenUpAfterThree() {
    queue.enqueue(notStoppable());
    queue.enqueue(json(200, "{\"taskId\": nope"));
    queue.enqueue(json(200, "{\"taskId\":\"" + ID + "\",\"status\":5}"));
    queue.enqueue(Bodies.tenMegabytes());

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.FAILED, outcome.outcome());
    assertEquals(4, outcome.attempts());
    assertTrue(
        outcome.detail().startsWith("gave up: 3 malformed status answers"), outcome.detail());
    assertTrue(outcome.detail().contains("larger than 1 MiB"), outcome.detail());
  }

  @Test
  void oneMalformedStatusThenAGoodOneSettles() {
    queue.enqueue(notStoppable());
    queue.enqueue(json(200, "[]"));
    queue.enqueue(statusAnswer(ID, "error", true));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.ALREADY_DONE, outcome.outcome());
    assertEquals("status error", outcome.detail());
    assertEquals(3, outcome.attempts());
  }

  @Test
  void otherClientErrorsFailAtOnce() {
    queue.enqueue(json(403, ApiBodies.error("Forbidden")));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.FAILED, outcome.outcome());
    assertEquals("gave up: HTTP 403 Forbidden", outcome.detail());
    assertEquals(403, outcome.httpStatus());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void serverThatNeverAnswersTimesOutAtTheDeadline() {
    queue.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    Duration deadline = Duration.ofMillis(1000);

    long start = System.nanoTime();
    CancelReport report = client.cancelAll(List.of(ID), deadline);
    long elapsed = System.nanoTime() - start;

    assertTrue(elapsed < deadline.plusMillis(500).toNanos(), "took " + elapsed / 1_000_000 + " ms");
    assertEquals(Outcome.TIMED_OUT, report.tasks().get(0).outcome());
    assertTrue(
        report.tasks().get(0).detail().startsWith("deadline reached"),
        report.tasks().get(0).detail());
  }

  @Test
  void hangingDnsLookupDoesNotHoldUpTheDeadline() throws Exception {
    BlockingDns dns = new BlockingDns();
    try (TasksClient hung =
        TasksClient.builder()
            .baseUrl("http://tasks.example.test:" + Servers.closedPort() + "/")
            .allowInsecure(true)
            .apiKey(KEY)
            .dns(dns)
            .build()) {
      Duration deadline = Duration.ofMillis(800);

      long start = System.nanoTime();
      CancelReport report = hung.cancelAll(List.of(ID, "second"), deadline);
      long elapsed = System.nanoTime() - start;

      assertTrue(
          elapsed < deadline.plusMillis(500).toNanos(), "took " + elapsed / 1_000_000 + " ms");
      assertEquals(2, report.count(Outcome.TIMED_OUT));
      assertEquals("deadline reached: no answer yet", report.tasks().get(0).detail());
      assertEquals(0, report.tasks().get(0).httpStatus());
      assertTrue(dns.entered.await(0, TimeUnit.SECONDS), "the lookup really hung");
    } finally {
      dns.release();
    }
  }

  @Test
  void refusedConnectionIsRetriedUntilTheDeadline() throws Exception {
    try (TasksClient refused =
        TasksClient.builder()
            .baseUrl("http://127.0.0.1:" + Servers.closedPort())
            .apiKey(KEY)
            .build()) {
      CancelReport report = refused.cancelAll(List.of(ID), Duration.ofMillis(1500));

      TaskOutcome outcome = report.tasks().get(0);
      assertEquals(Outcome.TIMED_OUT, outcome.outcome());
      assertTrue(outcome.attempts() > 2, "attempts " + outcome.attempts());
      assertTrue(
          outcome.detail().startsWith("deadline reached: last answer ConnectException"),
          outcome.detail());
      assertEquals(0, outcome.httpStatus(), "no answer ever came");
    }
  }

  @Test
  void twoThousandTasksAreStoppedConcurrently() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    // The first ten requests wait for each other: only a client with more than 5 requests in
    // flight gets past this quickly.
    CountDownLatch tenAtOnce = new CountDownLatch(10);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
              tenAtOnce.countDown();
              tenAtOnce.await(5, TimeUnit.SECONDS);
              List<String> segments = request.getUrl().pathSegments();
              return stoppedAnswer(segments.get(segments.size() - 1));
            } finally {
              inFlight.decrementAndGet();
            }
          }
        });
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ids.add("task" + i);
    }

    CancelReport report = client.cancelAll(ids, Duration.ofSeconds(20));

    assertEquals(2000, report.count(Outcome.STOPPED), report.toString());
    assertTrue(report.allConfirmed());
    assertTrue(mostInFlight.get() >= 10, "most in flight " + mostInFlight.get());
    assertEquals("task0", report.tasks().get(0).id());
    assertEquals("task1999", report.tasks().get(1999).id());
    assertTrue(report.duration().compareTo(Duration.ofSeconds(10)) < 0, report.toString());
  }

  @Test
  void duplicatesAreCancelledAndReportedOnce() {
    queue.enqueue(stoppedAnswer(ID));
    queue.enqueue(stoppedAnswer("other"));

    CancelReport report = client.cancelAll(List.of(ID, "other", ID), DEADLINE);

    assertEquals(List.of(ID, "other"), report.tasks().stream().map(TaskOutcome::id).toList());
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void submitRefusesDuplicatesAndInvalidIds() {
    queue.enqueue(stoppedAnswer(ID));
    BulkCancel run = client.startCancelAll(DEADLINE);

    assertTrue(run.submit(ID));
    assertFalse(run.submit(ID));
    assertThrows(IllegalArgumentException.class, () -> run.submit("a/b"));
    assertThrows(IllegalArgumentException.class, () -> run.submit(null));
    assertTrue(run.awaitSettled());
    assertEquals(1, run.finish().tasks().size());
  }

  @Test
  void invalidIdInCancelAllIsRefusedBeforeAnyRequest() {
    assertThrows(
        IllegalArgumentException.class, () -> client.cancelAll(List.of(ID, "bad id"), DEADLINE));
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void finishIsIdempotentAndEndsSubmission() {
    BulkCancel run = client.startCancelAll(DEADLINE);
    assertTrue(run.awaitSettled(), "nothing submitted, nothing to wait for");

    CancelReport report = run.finish();

    assertSame(report, run.finish());
    assertFalse(run.submit(ID));
    assertEquals(0, report.tasks().size());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void finishReturnsPromptlyWhileCallsHang() {
    queue.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    BulkCancel run = client.startCancelAll(Duration.ofSeconds(30));
    run.submit(ID);

    long start = System.nanoTime();
    CancelReport report = run.finish();

    assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500));
    TaskOutcome outcome = report.tasks().get(0);
    assertEquals(Outcome.TIMED_OUT, outcome.outcome());
    assertEquals(1, outcome.attempts());
  }

  @Test
  void submitAfterTheDeadlineIsTimedOutWithoutARequest() {
    BulkCancel run = client.startCancelAll(Duration.ZERO);

    assertTrue(run.submit(ID));
    assertTrue(run.awaitSettled());
    TaskOutcome outcome = run.finish().tasks().get(0);

    assertEquals(Outcome.TIMED_OUT, outcome.outcome());
    assertEquals(0, outcome.attempts());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void reportCountsEveryOutcomeInEnumOrder() {
    queue.enqueue(stoppedAnswer(ID));
    CancelReport report = client.cancelAll(List.of(ID), DEADLINE);

    assertEquals(List.of(Outcome.values()), new ArrayList<>(report.counts().keySet()));
    assertEquals(
        Map.of(
            Outcome.STOPPED,
            1,
            Outcome.ALREADY_DONE,
            0,
            Outcome.NOT_FOUND,
            0,
            Outcome.UNAUTHORIZED,
            0,
            Outcome.FAILED,
            0,
            Outcome.TIMED_OUT,
            0),
        report.counts());
    assertEquals(DEADLINE, report.deadline());
    assertTrue(report.allConfirmed());
    assertThrows(UnsupportedOperationException.class, () -> report.tasks().clear());
  }

  @Test
  void apiKeyEchoedByTheServerNeverReachesTheReport() {
    queue.enqueue(json(403, ApiBodies.error("key " + KEY + " may not stop tasks")));
    for (int i = 0; i < 50; i++) { // More than the retries that fit in the deadline.
      queue.enqueue(json(500, ApiBodies.error("upstream saw Bearer " + KEY)));
    }

    CancelReport forbidden = client.cancelAll(List.of(ID), DEADLINE);
    CancelReport timedOut = client.cancelAll(List.of("other"), Duration.ofMillis(1500));

    for (CancelReport report : List.of(forbidden, timedOut)) {
      assertFalse(report.toString().contains(KEY));
      for (TaskOutcome outcome : report.tasks()) {
        assertFalse(outcome.detail().contains(KEY), outcome.detail());
        assertFalse(outcome.toString().contains(KEY));
      }
    }
    assertEquals(
        "gave up: HTTP 403 key [redacted] may not stop tasks", forbidden.tasks().get(0).detail());
    assertEquals(
        "deadline reached: last answer HTTP 500 upstream saw Bearer [redacted]",
        timedOut.tasks().get(0).detail());
    assertEquals(500, timedOut.tasks().get(0).httpStatus());
  }
}
