package dev.lastcall.client;

import static dev.lastcall.client.Bodies.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.client.internal.ApiBodies;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Single calls, against a real HTTP server on loopback. */
class TasksClientTest {
  static final String KEY = "bb_5ecret0f1ce5ecret0f1ce5ecret0f1ce";
  static final String ID = "ac2wbk3lXAufdSdIscsirg";

  MockWebServer server;
  TasksClient client;

  @BeforeEach
  void setUp() throws IOException {
    server = new MockWebServer();
    server.start();
    client =
        TasksClient.builder()
            .baseUrl(server.url("/"))
            .apiKey(KEY)
            .callTimeout(Duration.ofSeconds(3))
            .build();
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  @Test
  void cancelSendsStopAndReturnsTheStoppedTask() throws Exception {
    server.enqueue(Bodies.stoppedAnswer(ID));

    Task task = client.cancel(ID);

    assertEquals(
        new Task(
            ID,
            "user_1",
            "stopped",
            null,
            "Task was stopped by user",
            null,
            "2025-06-01T10:00:05.000Z",
            "2025-06-01T10:00:05.000Z"),
        task);
    assertTrue(task.isDone());
    RecordedRequest request = server.takeRequest();
    assertEquals("PATCH", request.getMethod());
    assertEquals("/api/tasks/" + ID, request.getTarget());
    assertEquals("Bearer " + KEY, request.getHeaders().get("Authorization"));
    assertEquals("application/json", request.getHeaders().get("Content-Type"));
    assertEquals("application/json", request.getHeaders().get("Accept"));
    assertTrue(
        request.getHeaders().get("User-Agent").matches("lastcall/\\S+"),
        request.getHeaders().get("User-Agent"));
    assertEquals("{\"action\":\"stop\"}", request.getBody().utf8());
  }

  @Test
  void statusReadsEveryFieldAndIgnoresUnknownOnes() throws Exception {
    server.enqueue(
        json(
            200,
            "{\"taskId\":\""
                + ID
                + "\",\"status\":\"processing\",\"progress\":40,"
                + "\"inProgress\":true,\"isDone\":false,\"error\":null,\"createdAt\":\"2025-06-01T10:00:00.000Z\","
                + "\"updatedAt\":\"2025-06-01T10:00:04.000Z\",\"completedAt\":null,\"duration\":\"900s\","
                + "\"somethingNew\":{\"nested\":[1,2]}}"));

    TaskStatus status = client.status(ID);

    assertEquals(
        new TaskStatus(
            ID,
            "processing",
            40,
            true,
            false,
            null,
            "2025-06-01T10:00:00.000Z",
            "2025-06-01T10:00:04.000Z",
            null,
            "900s"),
        status);
    RecordedRequest request = server.takeRequest();
    assertEquals("GET", request.getMethod());
    assertEquals("/api/tasks/" + ID + "/status", request.getTarget());
    assertEquals("Bearer " + KEY, request.getHeaders().get("Authorization"));
    assertEquals("application/json", request.getHeaders().get("Content-Type"));
  }

  @Test
  void unknownStatusIsKeptAndNotDoneUnlessTheServerSaysSo() throws Exception {
    server.enqueue(json(200, "{\"taskId\":\"" + ID + "\",\"status\":\"hibernating\"}"));
    server.enqueue(
        json(200, "{\"taskId\":\"" + ID + "\",\"status\":\"hibernating\",\"isDone\":true}"));
    server.enqueue(json(200, "{\"taskId\":\"" + ID + "\",\"status\":\"timeout\"}"));

    TaskStatus unknown = client.status(ID);
    assertEquals("hibernating", unknown.status());
    assertFalse(unknown.isDone());
    assertTrue(client.status(ID).isDone(), "the server's isDone is trusted");
    assertTrue(client.status(ID).isDone(), "a finished status is done even without isDone");
  }

  @Test
  void getReadsTheTaskEnvelope() throws Exception {
    server.enqueue(json(200, ApiBodies.created(ID)));

    Task task = client.get(ID);

    assertEquals("pending", task.status());
    assertEquals(0, task.progress());
    assertFalse(task.isDone());
    assertEquals("/api/tasks/" + ID, server.takeRequest().getTarget());
  }

  @Test
  void idIsEncodedAsOnePathSegmentUnderTheBasePath() throws Exception {
    client.close();
    client = TasksClient.builder().baseUrl(server.url("/prefix/")).apiKey(KEY).build();
    server.enqueue(Bodies.statusAnswer("t\u00e4sk^1", "pending", false));

    client.status("t\u00e4sk^1");

    assertEquals("/prefix/api/tasks/t%C3%A4sk%5E1/status", server.takeRequest().getTarget());
  }

  @Test
  void invalidIdIsRefusedBeforeAnyRequest() {
    assertThrows(IllegalArgumentException.class, () -> client.cancel("../admin"));
    assertThrows(IllegalArgumentException.class, () -> client.status("a/b"));
    assertThrows(IllegalArgumentException.class, () -> client.get(""));
    assertThrows(IllegalArgumentException.class, () -> client.get(null));
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void badRequestToStopIsNotStoppable() {
    server.enqueue(Bodies.notStoppable());

    TaskNotStoppableException e =
        assertThrows(TaskNotStoppableException.class, () -> client.cancel(ID));

    assertEquals(400, e.statusCode());
    assertEquals("Task can only be stopped when it is in progress", e.error());
    assertTrue(e.getMessage().startsWith("PATCH /api/tasks/" + ID + ": HTTP 400"), e.getMessage());
  }

  @Test
  void errorStatusesMapToTypedExceptions() {
    server.enqueue(json(401, ApiBodies.unauthorized()));
    server.enqueue(json(404, ApiBodies.error("Task not found")));
    server.enqueue(json(500, ApiBodies.error("Failed to stop task")));
    server.enqueue(json(403, ApiBodies.error("Forbidden")));
    server.enqueue(json(400, ApiBodies.error("Bad status request")));

    assertEquals(
        "Unauthorized", assertThrows(UnauthorizedException.class, () -> client.cancel(ID)).error());
    TaskNotFoundException notFound =
        assertThrows(TaskNotFoundException.class, () -> client.status(ID));
    assertEquals(404, notFound.statusCode());
    assertEquals(
        "GET /api/tasks/" + ID + "/status: HTTP 404 Task not found", notFound.getMessage());
    assertEquals(
        500, assertThrows(ServerErrorException.class, () -> client.cancel(ID)).statusCode());
    TasksApiException forbidden = assertThrows(TasksApiException.class, () -> client.get(ID));
    assertSame(TasksApiException.class, forbidden.getClass());
    assertEquals(403, forbidden.statusCode());
    // A 400 to anything but a stop is no claim about the task's state.
    assertSame(
        TasksApiException.class,
        assertThrows(TasksApiException.class, () -> client.status(ID)).getClass());
  }

  @Test
  void rateLimitedCarriesRetryAfterWhenSent() {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "7")
            .body(ApiBodies.error("Rate limit exceeded"))
            .build());
    server.enqueue(json(429, "{\"error\":\"Rate limit exceeded\",\"remaining\":0,\"total\":10}"));

    assertEquals(
        Optional.of(Duration.ofSeconds(7)),
        assertThrows(RateLimitedException.class, () -> client.cancel(ID)).retryAfter());
    assertEquals(
        Optional.empty(),
        assertThrows(RateLimitedException.class, () -> client.cancel(ID)).retryAfter());
  }

  @Test
  void malformedBodiesAreReported() {
    server.enqueue(json(200, "{\"taskId\": oops"));
    server.enqueue(json(200, "{\"taskId\":\"" + ID + "\",\"status\":5}"));
    server.enqueue(json(200, "[]"));
    server.enqueue(json(200, "{\"message\":\"Task stopped successfully\"}"));
    server.enqueue(json(200, ""));

    assertTrue(
        assertThrows(MalformedResponseException.class, () -> client.status(ID))
            .getMessage()
            .contains("not JSON"));
    assertTrue(
        assertThrows(MalformedResponseException.class, () -> client.status(ID))
            .getMessage()
            .contains("\"status\" is not a string"));
    assertTrue(
        assertThrows(MalformedResponseException.class, () -> client.status(ID))
            .getMessage()
            .contains("not a JSON object"));
    MalformedResponseException noTask =
        assertThrows(MalformedResponseException.class, () -> client.cancel(ID));
    assertEquals(200, noTask.statusCode());
    assertNull(noTask.error());
    assertThrows(MalformedResponseException.class, () -> client.get(ID));
  }

  @Test
  void tenMegabyteBodyIsRefusedWithoutReadingItAll() {
    server.enqueue(Bodies.tenMegabytes());

    assertTrue(
        assertThrows(MalformedResponseException.class, () -> client.status(ID))
            .getMessage()
            .contains("larger than 1 MiB"));
  }

  @Test
  void endlessBodyIsCutOffAtTheCap() {
    // If the client read bodies whole this would never end; the cap makes it end at 1 MiB.
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .body(
                new mockwebserver3.MockResponseBody() {
                  @Override
                  public long getContentLength() {
                    return -1;
                  }

                  @Override
                  public void writeTo(BufferedSink sink) throws IOException {
                    byte[] chunk = new byte[64 * 1024];
                    Arrays.fill(chunk, (byte) ' ');
                    while (true) {
                      sink.write(chunk);
                      sink.flush();
                    }
                  }
                })
            .build());

    assertThrows(MalformedResponseException.class, () -> client.status(ID));
  }

  @Test
  void transportFailureIsPlainIOException() throws Exception {
    client.close();
    client =
        TasksClient.builder()
            .baseUrl("http://127.0.0.1:" + Servers.closedPort())
            .apiKey(KEY)
            .build();

    IOException e = assertThrows(IOException.class, () -> client.status(ID));

    assertFalse(e instanceof TasksApiException);
  }

  @Test
  void serverThatNeverAnswersTimesOut() {
    client.close();
    client =
        TasksClient.builder()
            .baseUrl(server.url("/"))
            .apiKey(KEY)
            .callTimeout(Duration.ofMillis(500))
            .build();
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

    long start = System.nanoTime();
    assertThrows(InterruptedIOException.class, () -> client.status(ID));
    assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1500));
  }

  @Test
  void hangingDnsLookupStillEndsAtTheCallTimeout() {
    BlockingDns dns = new BlockingDns();
    try (TasksClient hung =
        TasksClient.builder()
            .baseUrl("http://tasks.example.test/")
            .allowInsecure(true)
            .apiKey(KEY)
            .dns(dns)
            .callTimeout(Duration.ofMillis(500))
            .build()) {
      long start = System.nanoTime();
      InterruptedIOException e = assertThrows(InterruptedIOException.class, () -> hung.status(ID));
      assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1000), "took too long");
      assertTrue(e.getMessage().contains("GET /api/tasks/" + ID + "/status"), e.getMessage());
    } finally {
      dns.release();
    }
  }

  @Test
  void apiKeyAppearsInNoMessageOrToString() {
    server.enqueue(json(401, ApiBodies.error("Bearer " + KEY + " is not a valid key")));
    server.enqueue(json(403, ApiBodies.error("no access for " + KEY)));

    UnauthorizedException unauthorized =
        assertThrows(UnauthorizedException.class, () -> client.cancel(ID));
    TasksApiException forbidden = assertThrows(TasksApiException.class, () -> client.get(ID));

    for (TasksApiException e : new TasksApiException[] {unauthorized, forbidden}) {
      assertFalse(e.getMessage().contains(KEY), e.getMessage());
      assertFalse(e.error().contains(KEY), e.error());
      assertFalse(e.toString().contains(KEY));
      assertTrue(e.error().contains("[redacted]"));
    }
    assertFalse(client.toString().contains(KEY), client.toString());
    IllegalArgumentException badKey =
        assertThrows(
            IllegalArgumentException.class, () -> TasksClient.builder().apiKey(KEY + " x"));
    assertFalse(badKey.getMessage().contains(KEY));
  }

  @Test
  void builderRefusesBadValuesClearly() {
    assertEquals(
        "an API key is required: apiKey (cloud tasks) or agentApiKey (v1 Agent API runs), or both",
        assertThrows(IllegalArgumentException.class, () -> TasksClient.builder().build())
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> TasksClient.builder().apiKey("  "));
    assertThrows(IllegalArgumentException.class, () -> TasksClient.builder().apiKey("bb_\n1"));
    assertThrows(IllegalArgumentException.class, () -> TasksClient.builder().baseUrl("ftp://x"));
    assertThrows(
        IllegalArgumentException.class, () -> TasksClient.builder().baseUrl("https://x/?a=b"));
    assertThrows(IllegalArgumentException.class, () -> TasksClient.builder().maxConcurrency(0));
    assertThrows(
        IllegalArgumentException.class, () -> TasksClient.builder().callTimeout(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> TasksClient.builder().callTimeout(Duration.ofSeconds(-1)));
    TasksClient defaults = TasksClient.builder().apiKey(KEY).build();
    assertEquals("https://cloud.blackbox.ai/", defaults.baseUrl().toString());
    assertEquals(256, defaults.maxConcurrency());
    assertEquals(Duration.ofSeconds(10), defaults.callTimeout());
    defaults.close();
  }

  @Test
  void closeIsIdempotentAndRefusesLaterUse() {
    client.close();
    client.close();
    assertThrows(IllegalStateException.class, () -> client.status(ID));
    assertThrows(IllegalStateException.class, () -> client.startCancelAll(Duration.ofSeconds(1)));
  }

  @Test
  void warmUpConnectsNowhereEvenWhenTheBaseUrlIsAnIpLiteral() throws Exception {
    // An IP literal skips DNS, so only the socket itself can keep warm-up off the network.
    try (TasksClient literal =
        TasksClient.builder()
            .baseUrl("http://127.0.0.1:" + server.getPort() + "/")
            .apiKey(KEY)
            .build()) {
      literal.warmUp();
    }
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void warmUpTouchesNoNetworkAndStartsOnlyDaemonThreads() throws Exception {
    client.warmUp();

    assertEquals(0, server.getRequestCount());
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("lastcall-") || thread.getName().startsWith("OkHttp")) {
        assertTrue(thread.isDaemon(), thread.getName() + " is not a daemon");
      }
    }
    // And the client still works normally afterwards.
    server.enqueue(Bodies.stoppedAnswer(ID));
    assertEquals("stopped", client.cancel(ID).status());
  }
}
