package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The v1 Agent API family over real HTTP: its flat shapes, its status names, cancel with {@code
 * {"action":"cancel"}}, 403 for another user's run, and its separate keys and ids.
 */
class AgentRunsContractTest {
  static final String KEY = "sk-0123456789abcdef";
  static final String OTHER_KEY = "sk-fedcba9876543210";
  static final String CLOUD_KEY = "bb_0123456789abcdef";
  static final String CANCEL = "{\"action\":\"cancel\"}";

  private Emulator emulator;

  @AfterEach
  void close() {
    if (emulator != null) {
      emulator.close();
    }
  }

  private Http http(Duration queuedFor) throws Exception {
    emulator = Emulator.builder().pendingFor(queuedFor).start();
    return new Http(emulator);
  }

  private static String create(Http http, String key) {
    Http.Resp r = http.post("/api/v1/tasks", key, "{\"prompt\":\"fix the build\"}");
    assertEquals(200, r.status(), r.body());
    return r.json().get("runId").asText();
  }

  private static Set<String> fields(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void createAnswersTheFlatDocumentedObjectAndTheRunIsQueued() throws Exception {
    Http http = http(Duration.ofMinutes(1));
    Http.Resp r = http.post("/api/v1/tasks", KEY, "{\"prompt\":\"fix the build\"}");
    assertEquals(200, r.status(), r.body());
    JsonNode body = r.json();
    assertEquals(
        Set.of("taskId", "runId", "assistantMessageId", "chatId", "agentCount"), fields(body));
    assertEquals(body.get("taskId").asText(), body.get("runId").asText());
    String id = body.get("runId").asText();
    assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), id);

    JsonNode status = http.get("/api/v1/tasks/" + id + "/status", KEY).json();
    assertEquals(
        Set.of("runId", "status", "progress", "error", "startedAt", "completedAt"), fields(status));
    assertEquals("queued", status.get("status").asText());
    assertTrue(status.get("startedAt").isNull());
    assertEquals("queued", emulator.task(id).orElseThrow().status());
    assertEquals(TaskView.V1, emulator.task(id).orElseThrow().family());
  }

  @Test
  void aRunningRunIsCancelledAndStaysCancelled() throws Exception {
    Http http = http(Duration.ZERO);
    String id = create(http, KEY);
    assertEquals("running", http.get("/api/v1/tasks/" + id, KEY).json().get("status").asText());

    Http.Resp r = http.patch("/api/v1/tasks/" + id, KEY, CANCEL);
    assertEquals(200, r.status(), r.body());
    assertTrue(r.json().get("success").asBoolean());
    assertEquals("cancelled", r.json().get("status").asText());
    assertEquals("Task " + id + " cancelled successfully", r.json().get("message").asText());

    TaskView view = emulator.task(id).orElseThrow();
    assertEquals("cancelled", view.status());
    assertTrue(view.isDone());
    assertEquals(1, view.successfulStops());
    JsonNode status = http.get("/api/v1/tasks/" + id + "/status", KEY).json();
    assertEquals("cancelled", status.get("status").asText());
    assertFalse(status.get("completedAt").isNull());

    Http.Resp again = http.patch("/api/v1/tasks/" + id, KEY, CANCEL);
    assertEquals(400, again.status(), again.body());
    assertEquals("Task is already cancelled", again.json().get("error").asText());
    assertEquals(2, emulator.task(id).orElseThrow().stopCalls());
  }

  @Test
  void aQueuedRunAnswersACancel400AndCanBeCancelledOnceRunning() throws Exception {
    Http http = http(Duration.ofMinutes(1));
    String id = create(http, KEY);
    Http.Resp r = http.patch("/api/v1/tasks/" + id, KEY, CANCEL);
    assertEquals(400, r.status(), r.body());
    assertEquals("Task cannot be cancelled while queued", r.json().get("error").asText());

    emulator.forceStatus(id, "running");
    assertEquals(200, http.patch("/api/v1/tasks/" + id, KEY, CANCEL).status());
    assertEquals("cancelled", emulator.task(id).orElseThrow().status());
  }

  @Test
  void anotherUsersRunIs403AndAnUnknownOne404() throws Exception {
    Http http = http(Duration.ZERO);
    String id = create(http, KEY);
    Http.Resp other = http.patch("/api/v1/tasks/" + id, OTHER_KEY, CANCEL);
    assertEquals(403, other.status(), other.body());
    assertEquals(403, http.get("/api/v1/tasks/" + id + "/status", OTHER_KEY).status());
    assertEquals("running", emulator.task(id).orElseThrow().status());

    Http.Resp unknown =
        http.patch("/api/v1/tasks/00000000-0000-0000-0000-000000000000", KEY, CANCEL);
    assertEquals(404, unknown.status(), unknown.body());
    assertEquals("Task not found", unknown.json().get("error").asText());
  }

  @Test
  void theFamiliesKeepTheirOwnKeysAndIds() throws Exception {
    Http http = http(Duration.ZERO);
    assertEquals(401, http.post("/api/v1/tasks", CLOUD_KEY, "{\"prompt\":\"p\"}").status());
    assertEquals(401, http.post("/api/tasks", KEY, "{\"prompt\":\"p\"}").status());
    assertEquals(401, http.get("/api/v1/tasks", null).status());
    String run = create(http, KEY);
    String task = http.create(CLOUD_KEY, "p");
    assertEquals(404, http.get("/api/tasks/" + run, CLOUD_KEY).status());
    assertEquals(404, http.get("/api/v1/tasks/" + task, KEY).status());
  }

  @Test
  void badCancelsAndCreatesAre400WithWhatIsAccepted() throws Exception {
    Http http = http(Duration.ZERO);
    String id = create(http, KEY);
    assertEquals(
        "Invalid action",
        http.patch("/api/v1/tasks/" + id, KEY, "{\"action\":\"stop\"}")
            .json()
            .get("error")
            .asText());
    assertEquals(400, http.patch("/api/v1/tasks/" + id, KEY, "{}").status());
    assertEquals(400, http.patch("/api/v1/tasks/" + id, KEY, "not json").status());
    Http.Resp titled = http.patch("/api/v1/tasks/" + id, KEY, "{\"title\":\"renamed\"}");
    assertEquals(200, titled.status(), titled.body());
    assertEquals("running", emulator.task(id).orElseThrow().status());
    assertEquals(
        "prompt is required", http.post("/api/v1/tasks", KEY, "{}").json().get("error").asText());
    assertEquals(405, http.send("DELETE", "/api/v1/tasks/" + id, KEY, null).status());
  }

  @Test
  void listPagesNewestFirst() throws Exception {
    Http http = http(Duration.ZERO);
    String first = create(http, KEY);
    String second = create(http, KEY);
    create(http, OTHER_KEY);
    JsonNode page = http.get("/api/v1/tasks?page=1&limit=1", KEY).json();
    assertEquals(1, page.get("tasks").size());
    assertEquals(second, page.get("tasks").get(0).get("runId").asText());
    assertTrue(page.get("hasMore").asBoolean());
    JsonNode next = http.get("/api/v1/tasks?page=2&limit=1", KEY).json();
    assertEquals(first, next.get("tasks").get(0).get("runId").asText());
    assertFalse(next.get("hasMore").asBoolean());
    assertEquals(400, http.get("/api/v1/tasks?limit=0", KEY).status());
  }

  @Test
  void faultsApplyToTheV1FamilyToo() throws Exception {
    Http http = http(Duration.ZERO);
    String id = create(http, KEY);
    emulator.faults(Faults.builder().failFirst(1).build());
    Http.Resp failed = http.patch("/api/v1/tasks/" + id, KEY, CANCEL);
    assertEquals(500, failed.status(), failed.body());
    assertEquals("Failed to cancel task", failed.json().get("error").asText());
    assertEquals(200, http.patch("/api/v1/tasks/" + id, KEY, CANCEL).status());
  }

  @Test
  void aForcedFinishedStatusIsShownAsTheV1FamilyNamesIt() throws Exception {
    Http http = http(Duration.ZERO);
    String id = create(http, KEY);
    emulator.forceStatus(id, "interrupted");
    JsonNode status = http.get("/api/v1/tasks/" + id + "/status", KEY).json();
    assertEquals("interrupted", status.get("status").asText());
    assertTrue(emulator.task(id).orElseThrow().isDone());
    assertEquals(400, http.patch("/api/v1/tasks/" + id, KEY, CANCEL).status());
  }
}
