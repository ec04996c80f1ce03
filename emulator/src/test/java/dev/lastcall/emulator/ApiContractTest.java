package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The documented shapes, status codes and error bodies, over real HTTP: each test once per {@link
 * Transport}, plain HTTP/1.1 and HTTPS with HTTP/1.1 and with h2.
 */
@ParameterizedClass
@EnumSource(Transport.class)
class ApiContractTest {
  static final String KEY = "bb_0123456789abcdef";
  static final String OTHER_KEY = "bb_fedcba9876543210";
  static final String UNAUTHORIZED =
      "{\"error\":\"Unauthorized\",\"message\":\"Invalid or missing API key\",\"status\":401}";
  static final String ISO = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

  @Parameter Transport transport;

  private final List<Emulator> started = new ArrayList<>();

  @AfterEach
  void closeAll() {
    started.forEach(Emulator::close);
  }

  /** pendingFor decides whether new tasks are stoppable at once (0) or not for a long time. */
  private Emulator emulator(Duration pendingFor) throws Exception {
    Emulator emu = transport.configure(Emulator.builder()).pendingFor(pendingFor).start();
    started.add(emu);
    return emu;
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void createAnswersAPendingTaskWithTheDocumentedFields() throws Exception {
    Http http = new Http(emulator(Duration.ofMinutes(1)), transport);
    Http.Resp r =
        http.post(
            "/api/tasks",
            KEY,
            "{\"prompt\":\"Add a"
                + " README\",\"repoUrl\":\"https://github.com/a/b\",\"selectedAgent\":\"claude\","
                + "\"selectedModel\":\"claude-sonnet\",\"maxDuration\":120,\"environmentVariables\":{\"A\":\"1\"}}");
    assertEquals(200, r.status(), r.body());
    assertEquals("application/json", r.contentType());
    JsonNode task = r.json().get("task");
    assertTrue(
        fieldNames(task)
            .containsAll(
                Set.of(
                    "id",
                    "userId",
                    "prompt",
                    "status",
                    "progress",
                    "createdAt",
                    "updatedAt",
                    "completedAt",
                    "error",
                    "logs",
                    "sandboxId",
                    "branchName",
                    "prUrl",
                    "selectedAgent",
                    "selectedModel",
                    "selectedBranch",
                    "repoUrl",
                    "maxDuration")),
        task.toString());
    assertTrue(task.get("id").asText().matches("[A-Za-z0-9_-]{22}"), task.get("id").asText());
    assertEquals("pending", task.get("status").asText());
    assertEquals(0, task.get("progress").asInt());
    assertTrue(task.get("completedAt").isNull());
    assertTrue(task.get("error").isNull());
    assertTrue(task.get("prUrl").isNull());
    assertTrue(task.get("logs").isArray() && task.get("logs").isEmpty());
    assertEquals("Add a README", task.get("prompt").asText());
    assertEquals("claude", task.get("selectedAgent").asText());
    assertEquals("claude-sonnet", task.get("selectedModel").asText());
    assertEquals("main", task.get("selectedBranch").asText());
    assertEquals("https://github.com/a/b", task.get("repoUrl").asText());
    assertEquals(120, task.get("maxDuration").asInt());
    assertTrue(task.get("createdAt").asText().matches(ISO), task.get("createdAt").asText());
    assertFalse(r.body().contains(KEY), "the key must never be echoed");
    assertFalse(task.get("userId").asText().isEmpty());
  }

  @Test
  void createAppliesDefaults() throws Exception {
    Http http = new Http(emulator(Duration.ofMinutes(1)), transport);
    JsonNode task = http.post("/api/tasks", KEY, "{\"prompt\":\"x\"}").json().get("task");
    assertEquals("blackbox", task.get("selectedAgent").asText());
    assertEquals("main", task.get("selectedBranch").asText());
    assertEquals(300, task.get("maxDuration").asInt());
    assertTrue(task.get("repoUrl").isNull());
  }

  @Test
  void createRefusesBadBodies() throws Exception {
    Http http = new Http(emulator(Duration.ofMinutes(1)), transport);
    for (String body :
        List.of(
            "{}",
            "{\"prompt\":\"   \"}",
            "{\"prompt\":3}",
            "not json",
            "[]",
            "{\"prompt\":\"x\",\"selectedAgent\":\"gpt\"}",
            "{\"prompt\":\"x\",\"maxDuration\":29}",
            "{\"prompt\":\"x\",\"maxDuration\":601}",
            "{\"prompt\":\"x\",\"maxDuration\":\"60\"}",
            "{\"prompt\":\"x\",\"keepAlive\":\"yes\"}")) {
      Http.Resp r = http.post("/api/tasks", KEY, body);
      assertEquals(400, r.status(), body);
      assertEquals("application/json", r.contentType());
      assertEquals(Set.of("error"), fieldNames(r.json()), body);
    }
    assertEquals(
        "Prompt is required", http.post("/api/tasks", KEY, "{}").json().get("error").asText());
    assertEquals(
        200, http.post("/api/tasks", KEY, "{\"prompt\":\"x\",\"maxDuration\":30}").status());
    assertEquals(
        200, http.post("/api/tasks", KEY, "{\"prompt\":\"x\",\"maxDuration\":600}").status());
  }

  @Test
  void getAndStatusAnswerTheDocumentedShapes() throws Exception {
    Http http = new Http(emulator(Duration.ofMinutes(1)), transport);
    String id = http.create(KEY, "look");
    Http.Resp get = http.get("/api/tasks/" + id, KEY);
    assertEquals(200, get.status());
    assertEquals(id, get.json().get("task").get("id").asText());

    Http.Resp status = http.get("/api/tasks/" + id + "/status", KEY);
    assertEquals(200, status.status());
    assertEquals("application/json", status.contentType());
    JsonNode s = status.json();
    assertEquals(
        Set.of(
            "taskId",
            "status",
            "progress",
            "inProgress",
            "isDone",
            "error",
            "createdAt",
            "updatedAt",
            "completedAt",
            "duration"),
        fieldNames(s));
    assertEquals(id, s.get("taskId").asText());
    assertEquals("pending", s.get("status").asText());
    assertTrue(s.get("inProgress").asBoolean());
    assertFalse(s.get("isDone").asBoolean());
    assertTrue(s.get("duration").isNull());
  }

  @Test
  void stoppingAProcessingTaskAnswersTheDocumentedBody() throws Exception {
    Emulator emu = emulator(Duration.ZERO);
    Http http = new Http(emu, transport);
    String id = http.create(KEY, "long job");
    Http.Resp r = http.stop(id, KEY);
    assertEquals(200, r.status(), r.body());
    assertEquals("application/json", r.contentType());
    JsonNode body = r.json();
    assertEquals(Set.of("message", "task"), fieldNames(body));
    assertEquals("Task stopped successfully", body.get("message").asText());
    JsonNode task = body.get("task");
    assertEquals(
        Set.of("id", "userId", "status", "error", "updatedAt", "completedAt"), fieldNames(task));
    assertEquals(id, task.get("id").asText());
    assertEquals("stopped", task.get("status").asText());
    assertEquals("Task was stopped by user", task.get("error").asText());
    assertTrue(task.get("completedAt").asText().matches(ISO));
    assertEquals(task.get("completedAt"), task.get("updatedAt"));

    JsonNode status = http.get("/api/tasks/" + id + "/status", KEY).json();
    assertEquals("stopped", status.get("status").asText());
    assertTrue(status.get("isDone").asBoolean());
    assertFalse(status.get("inProgress").asBoolean());
    assertTrue(status.get("duration").asText().matches("\\d+s"));

    TaskView view = emu.task(id).orElseThrow();
    assertEquals("stopped", view.status());
    assertEquals(1, view.stopCalls());
    assertEquals(1, view.successfulStops());
  }

  @Test
  void stoppingAPendingTaskIsRefused() throws Exception {
    Emulator emu = emulator(Duration.ofMinutes(1));
    Http http = new Http(emu, transport);
    String id = http.create(KEY, "not started");
    Http.Resp r = http.stop(id, KEY);
    assertEquals(400, r.status());
    assertEquals("{\"error\":\"Task can only be stopped when it is in progress\"}", r.body());
    assertEquals("pending", emu.task(id).orElseThrow().status());
    assertEquals(1, emu.task(id).orElseThrow().stopCalls());
    assertEquals(0, emu.task(id).orElseThrow().successfulStops());
  }

  @Test
  void stoppingAFinishedTaskIsRefused() throws Exception {
    Emulator emu = emulator(Duration.ZERO);
    Http http = new Http(emu, transport);
    String done = http.create(KEY, "done");
    emu.forceStatus(done, "completed");
    assertEquals(400, http.stop(done, KEY).status());
    assertEquals(
        "{\"error\":\"Task can only be stopped when it is in progress\"}",
        http.stop(done, KEY).body());

    String twice = http.create(KEY, "twice");
    assertEquals(200, http.stop(twice, KEY).status());
    assertEquals(400, http.stop(twice, KEY).status());
    assertEquals(2, emu.task(twice).orElseThrow().stopCalls());
    assertEquals(1, emu.task(twice).orElseThrow().successfulStops());
  }

  @Test
  void anyOtherActionIsInvalid() throws Exception {
    Emulator emu = emulator(Duration.ZERO);
    Http http = new Http(emu, transport);
    String id = http.create(KEY, "x");
    for (String body : List.of("{\"action\":\"pause\"}", "{}", "not json", "{\"action\":1}", "")) {
      Http.Resp r = http.patch("/api/tasks/" + id, KEY, body);
      assertEquals(400, r.status(), body);
      assertEquals("{\"error\":\"Invalid action\"}", r.body(), body);
    }
    assertEquals("processing", emu.task(id).orElseThrow().status());
  }

  @Test
  void missingOrWrongKeysGet401() throws Exception {
    Http http = new Http(emulator(Duration.ZERO), transport);
    String id = http.create(KEY, "x");
    for (String key : new String[] {null, "", "sk-123", "bb_", "bb_has space"}) {
      Http.Resp r = http.get("/api/tasks/" + id, key);
      assertEquals(401, r.status(), String.valueOf(key));
      assertEquals(UNAUTHORIZED, r.body());
      assertEquals("application/json", r.contentType());
    }
    HttpRequest basic =
        HttpRequest.newBuilder(
                http.request("GET", "/api/tasks", null, null, Duration.ofSeconds(5)).uri())
            .header("Authorization", "Basic " + KEY)
            .build();
    Http.Resp wrongScheme =
        Http.Resp.of(http.client().send(basic, HttpResponse.BodyHandlers.ofString()));
    assertEquals(401, wrongScheme.status());
    assertEquals(401, http.stop(id, null).status());
  }

  @Test
  void namedKeysAreTheOnlyOnesAccepted() throws Exception {
    Emulator emu = transport.configure(Emulator.builder()).apiKey(KEY).start();
    started.add(emu);
    Http http = new Http(emu, transport);
    assertEquals(200, http.get("/api/tasks", KEY).status());
    Http.Resp other = http.get("/api/tasks", OTHER_KEY);
    assertEquals(401, other.status());
    assertEquals(UNAUTHORIZED, other.body());
    assertFalse(other.body().contains(OTHER_KEY));
    Assertions.assertThrows(IllegalArgumentException.class, () -> emu.createTask(OTHER_KEY, "x"));
  }

  @Test
  void unknownTasksAndOtherUsersTasksAre404() throws Exception {
    Http http = new Http(emulator(Duration.ZERO), transport);
    String mine = http.create(KEY, "mine");
    String notFound = "{\"error\":\"Task not found\"}";
    for (String id : List.of("doesNotExist000000000x", mine)) {
      String key = id.equals(mine) ? OTHER_KEY : KEY;
      assertEquals(notFound, http.get("/api/tasks/" + id, key).body());
      assertEquals(404, http.get("/api/tasks/" + id, key).status());
      assertEquals(404, http.get("/api/tasks/" + id + "/status", key).status());
      Http.Resp stop = http.stop(id, key);
      assertEquals(404, stop.status());
      assertEquals(notFound, stop.body());
    }
    assertEquals(
        "processing",
        http.get("/api/tasks/" + mine + "/status", KEY).json().get("status").asText());
  }

  @Test
  void otherPathsAre404AndWrongMethods405() throws Exception {
    Http http = new Http(emulator(Duration.ZERO), transport);
    String id = http.create(KEY, "x");
    for (String path :
        List.of("/", "/api", "/api/nope", "/api/tasksx", "/api/tasks/" + id + "/logs", "/other")) {
      Http.Resp r = http.get(path, KEY);
      assertEquals(404, r.status(), path);
      assertEquals("{\"error\":\"Not found\"}", r.body(), path);
      assertEquals("application/json", r.contentType(), path);
    }
    Http.Resp delete = http.send("DELETE", "/api/tasks/" + id, KEY, null);
    assertEquals(405, delete.status());
    assertEquals("{\"error\":\"Method not allowed\"}", delete.body());
    assertEquals("application/json", delete.contentType());
    assertEquals(405, http.send("PUT", "/api/tasks", KEY, "{}").status());
    assertEquals(405, http.post("/api/tasks/" + id + "/status", KEY, "{}").status());
  }

  @Test
  void listPagesFiltersAndValidates() throws Exception {
    Emulator emu = emulator(Duration.ZERO);
    Http http = new Http(emu, transport);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(http.create(KEY, "task" + i));
    }
    http.create(OTHER_KEY, "someone else's");
    assertEquals(200, http.stop(ids.get(0), KEY).status());
    emu.forceStatus(ids.get(1), "completed");
    emu.forceStatus(ids.get(2), "timeout");

    JsonNode all = http.get("/api/tasks", KEY).json();
    assertEquals(Set.of("tasks", "hasMore", "offset", "limit"), fieldNames(all));
    assertEquals(5, all.get("tasks").size());
    assertFalse(all.get("hasMore").asBoolean());
    assertEquals(0, all.get("offset").asInt());
    assertEquals(50, all.get("limit").asInt());
    assertEquals(ids.get(4), all.get("tasks").get(0).get("id").asText(), "newest first");

    JsonNode page = http.get("/api/tasks?limit=2", KEY).json();
    assertEquals(2, page.get("tasks").size());
    assertTrue(page.get("hasMore").asBoolean());
    JsonNode last = http.get("/api/tasks?limit=2&offset=4", KEY).json();
    assertEquals(1, last.get("tasks").size());
    assertFalse(last.get("hasMore").asBoolean());
    assertEquals(4, last.get("offset").asInt());

    assertEquals(1, http.get("/api/tasks?status=stopped", KEY).json().get("tasks").size());
    assertEquals(1, http.get("/api/tasks?status=completed", KEY).json().get("tasks").size());
    assertEquals(1, http.get("/api/tasks?status=failed", KEY).json().get("tasks").size());
    assertEquals(
        2, http.get("/api/tasks?status=active&filter=tasks", KEY).json().get("tasks").size());
    assertEquals(0, http.get("/api/tasks?filter=batch", KEY).json().get("tasks").size());
    assertEquals(100, http.get("/api/tasks?limit=100", KEY).json().get("limit").asInt());

    for (String q :
        List.of(
            "limit=0",
            "limit=101",
            "limit=abc",
            "offset=-1",
            "offset=x",
            "filter=mine",
            "status=running")) {
      Http.Resp r = http.get("/api/tasks?" + q, KEY);
      assertEquals(400, r.status(), q);
      assertEquals(Set.of("error"), fieldNames(r.json()), q);
    }
  }

  @Test
  void idsAreUnique() throws Exception {
    Emulator emu = emulator(Duration.ZERO);
    Set<String> ids = new TreeSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(emu.createTask(KEY, "t"));
    }
    assertEquals(1000, ids.size());
    assertNotEquals(ids.iterator().next(), emu.createTask(KEY, "t"));
  }
}
