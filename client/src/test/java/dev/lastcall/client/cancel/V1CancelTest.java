package dev.lastcall.client.cancel;

import static dev.lastcall.client.Bodies.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.CancelReport;
import dev.lastcall.Family;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.TaskRef;
import dev.lastcall.client.Bodies;
import dev.lastcall.client.TaskNotFoundException;
import dev.lastcall.client.TaskStatus;
import dev.lastcall.client.TasksClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The v1 Agent API's rules in the shared bulk cancel, against a real HTTP server on loopback that
 * serves the v1 paths under {@code /api/v1}: the cancel request, its proof ({@code status:
 * cancelled}), a 400 re-checked against the status, 403 and 404 as not found, a missing key, and
 * both families in one bulk cancel.
 */
class V1CancelTest {
  static final String KEY = "bb_5ecret0f1ce5ecret0f1ce5ecret0f1ce";
  static final String AGENT_KEY = "sk-agent5ecret0f1ce5ecret0f1ce5ecret";
  static final String RUN = "run_7QyX2k";
  static final String KEY_OF_RUN = "v1/" + RUN;
  static final Duration DEADLINE = Duration.ofSeconds(5);

  MockWebServer server;
  ScriptedV1 script;
  TasksClient client;

  @BeforeEach
  void setUp() throws IOException {
    server = new MockWebServer();
    script = new ScriptedV1();
    server.setDispatcher(script);
    server.start();
    client =
        TasksClient.builder()
            .baseUrl(server.url("/"))
            .agentBaseUrl(server.url("/api/v1").toString())
            .apiKey(KEY)
            .agentApiKey(AGENT_KEY)
            .build();
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.close();
  }

  /** Answers each path from its own queue, so tasks of both families can run at once. */
  static final class ScriptedV1 extends Dispatcher {
    final Map<String, java.util.concurrent.BlockingQueue<MockResponse>> answers =
        new java.util.concurrent.ConcurrentHashMap<>();

    void enqueue(String methodAndPath, MockResponse answer) {
      answers
          .computeIfAbsent(methodAndPath, k -> new java.util.concurrent.LinkedBlockingQueue<>())
          .add(answer);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      var queue = answers.get(request.getMethod() + " " + request.getTarget());
      MockResponse next = queue == null ? null : queue.poll();
      return next != null ? next : json(500, "{\"error\":\"not scripted\"}");
    }
  }

  static MockResponse cancelled() {
    return json(
        200,
        "{\"success\":true,\"status\":\"cancelled\",\"message\":\"Task "
            + RUN
            + " cancelled successfully\"}");
  }

  static MockResponse runStatus(String status) {
    return json(
        200,
        "{\"runId\":\""
            + RUN
            + "\",\"status\":\""
            + status
            + "\",\"progress\":10,\"error\":null,\"startedAt\":null,\"completedAt\":null}");
  }

  TaskOutcome cancelOne() {
    CancelReport report = client.cancelAll(List.of(KEY_OF_RUN), DEADLINE);
    assertEquals(1, report.tasks().size());
    return report.tasks().get(0);
  }

  @Test
  void cancelledAnswerIsStoppedAndTheRequestIsTheV1Cancel() throws Exception {
    script.enqueue("PATCH /api/v1/tasks/" + RUN, cancelled());

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.STOPPED, outcome.outcome());
    assertEquals(KEY_OF_RUN, outcome.id());
    assertEquals(Family.V1, outcome.family());
    assertEquals(RUN, outcome.taskId());
    assertEquals("cancelled", outcome.detail());
    RecordedRequest request = server.takeRequest();
    assertEquals("PATCH /api/v1/tasks/" + RUN, request.getMethod() + " " + request.getTarget());
    assertEquals("{\"action\":\"cancel\"}", request.getBody().utf8());
    assertEquals("Bearer " + AGENT_KEY, request.getHeaders().get("Authorization"));
  }

  @Test
  void queuedRunIsRecheckedThenCancelled() throws Exception {
    script.enqueue(
        "PATCH /api/v1/tasks/" + RUN,
        json(400, "{\"error\":\"Task cannot be cancelled while queued\"}"));
    script.enqueue("GET /api/v1/tasks/" + RUN + "/status", runStatus("queued"));
    script.enqueue("PATCH /api/v1/tasks/" + RUN, cancelled());

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.STOPPED, outcome.outcome(), outcome.detail());
    assertEquals(3, outcome.attempts());
  }

  @ParameterizedTest
  @CsvSource({
    "completed, ALREADY_DONE",
    "failed, ALREADY_DONE",
    "interrupted, ALREADY_DONE",
    "cancelled, STOPPED"
  })
  void badRequestThenFinishedStatusSettles(String status, Outcome expected) {
    script.enqueue(
        "PATCH /api/v1/tasks/" + RUN, json(400, "{\"error\":\"Task is already " + status + "\"}"));
    script.enqueue("GET /api/v1/tasks/" + RUN + "/status", runStatus(status));

    TaskOutcome outcome = cancelOne();

    assertEquals(expected, outcome.outcome(), outcome.detail());
    assertEquals("status " + status, outcome.detail());
  }

  @Test
  void unknownStatusIsNotFinished() {
    script.enqueue("PATCH /api/v1/tasks/" + RUN, json(400, "{\"error\":\"not now\"}"));
    script.enqueue("GET /api/v1/tasks/" + RUN + "/status", runStatus("in_progress"));
    script.enqueue("PATCH /api/v1/tasks/" + RUN, cancelled());

    assertEquals(Outcome.STOPPED, cancelOne().outcome());
  }

  @ParameterizedTest
  @CsvSource({"403, You do not have access to this task", "404, Task not found"})
  void anotherAccountsOrUnknownRunIsNotFound(int code, String error) {
    script.enqueue("PATCH /api/v1/tasks/" + RUN, json(code, "{\"error\":\"" + error + "\"}"));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.NOT_FOUND, outcome.outcome());
    assertEquals("HTTP " + code + " " + error, outcome.detail());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void successWithoutCancelledIsCheckedAgainstTheStatus() {
    script.enqueue("PATCH /api/v1/tasks/" + RUN, json(200, "{\"success\":true,\"title\":\"x\"}"));
    script.enqueue("GET /api/v1/tasks/" + RUN + "/status", runStatus("cancelled"));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.STOPPED, outcome.outcome(), outcome.detail());
    assertEquals(2, outcome.attempts());
  }

  @Test
  void bothFamiliesInOneBulkCancelEachThroughItsOwnApi() throws Exception {
    String cloudId = "ac2wbk3lXAufdSdIscsirg";
    script.enqueue("PATCH /api/tasks/" + cloudId, Bodies.stoppedAnswer(cloudId));
    script.enqueue("PATCH /api/v1/tasks/" + RUN, cancelled());

    CancelReport report = client.cancelAll(List.of(cloudId, KEY_OF_RUN), DEADLINE);

    assertTrue(report.allConfirmed(), report.toString());
    Map<String, Family> families =
        report.tasks().stream().collect(Collectors.toMap(TaskOutcome::id, TaskOutcome::family));
    assertEquals(Map.of(cloudId, Family.CLOUD, KEY_OF_RUN, Family.V1), families);
    Map<String, String> keyByPath = new java.util.HashMap<>();
    for (int i = 0; i < 2; i++) {
      RecordedRequest request = server.takeRequest();
      keyByPath.put(request.getTarget(), request.getHeaders().get("Authorization"));
    }
    assertEquals(
        Map.of(
            "/api/tasks/" + cloudId,
            "Bearer " + KEY,
            "/api/v1/tasks/" + RUN,
            "Bearer " + AGENT_KEY),
        keyByPath);
  }

  @Test
  void aFamilyWithoutAKeyIsFailedNamingTheKeyAndTheOtherStillCancelled() throws Exception {
    String cloudId = "ac2wbk3lXAufdSdIscsirg";
    try (TasksClient cloudOnly =
        TasksClient.builder().baseUrl(server.url("/")).apiKey(KEY).build()) {
      script.enqueue("PATCH /api/tasks/" + cloudId, Bodies.stoppedAnswer(cloudId));

      CancelReport report = cloudOnly.cancelAll(List.of(KEY_OF_RUN, cloudId), DEADLINE);

      TaskOutcome run = report.tasks().get(0);
      assertEquals(Outcome.FAILED, run.outcome());
      assertEquals(0, run.attempts());
      assertTrue(run.detail().contains("BLACKBOX_AGENT_API_KEY"), run.detail());
      assertEquals(Outcome.STOPPED, report.tasks().get(1).outcome());
      assertEquals(1, server.getRequestCount());
    }
  }

  @Test
  void aV1OnlyClientFailsCloudTasksNamingTheirKey() {
    try (TasksClient v1Only =
        TasksClient.builder()
            .agentBaseUrl(server.url("/api/v1").toString())
            .agentApiKey(AGENT_KEY)
            .build()) {
      script.enqueue("PATCH /api/v1/tasks/" + RUN, cancelled());

      CancelReport report = v1Only.cancelAll(List.of("cloudTask1", KEY_OF_RUN), DEADLINE);

      assertEquals(Outcome.FAILED, report.tasks().get(0).outcome());
      assertTrue(report.tasks().get(0).detail().contains("BLACKBOX_API_KEY"));
      assertEquals(Outcome.STOPPED, report.tasks().get(1).outcome());
      assertFalse(v1Only.hasKey(Family.CLOUD));
    }
  }

  @Test
  void noKeyAtAllIsRefusedByTheBuilder() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TasksClient.builder().build());
    assertTrue(e.getMessage().contains("agentApiKey"), e.getMessage());
  }

  @Test
  void theAgentKeyNeverAppearsInADetail() {
    script.enqueue(
        "PATCH /api/v1/tasks/" + RUN, json(418, "{\"error\":\"echo Bearer " + AGENT_KEY + "\"}"));

    TaskOutcome outcome = cancelOne();

    assertEquals(Outcome.FAILED, outcome.outcome());
    assertFalse(outcome.detail().contains(AGENT_KEY), outcome.detail());
  }

  @Test
  void statusOfARunReadsTheV1Answer() throws Exception {
    script.enqueue("GET /api/v1/tasks/" + RUN + "/status", runStatus("failed"));
    script.enqueue(
        "GET /api/v1/tasks/" + RUN + "/status",
        json(403, "{\"error\":\"You do not have access to this task\"}"));

    TaskStatus status = client.status(TaskRef.v1Run(RUN));

    assertEquals(RUN, status.taskId());
    assertEquals("failed", status.status());
    assertTrue(status.isDone());
    assertThrows(TaskNotFoundException.class, () -> client.status(TaskRef.v1Run(RUN)));
  }
}
