package dev.lastcall.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lastcall.agent.tracking.TaskAnswers.Kind;
import dev.lastcall.agent.tracking.TaskAnswers.Seen;
import dev.lastcall.client.internal.ApiBodies;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What the application's own answers say about its tasks, in the API's documented shapes. */
class TaskAnswersTest {
  static final String ID = "ac2wbk3lXAufdSdIscsirg";

  final TaskAnswers answers = new TaskAnswers(ApiOrigin.of(URI.create("https://api.example")));

  static ApiAnswer answer(String method, String uri, int code, String body) {
    return new ApiAnswer(
        method, URI.create(uri), code, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  Seen read(String method, String uri, int code, String body) {
    return answers.read(answer(method, uri, code, body));
  }

  @Test
  void aCreatedTaskIsSeen() {
    Seen seen = read("POST", "https://api.example/api/tasks", 200, ApiBodies.created(ID));
    assertEquals(new Seen(Kind.CREATED, ID), seen);
    // The default port, spelled out or not, and the host's case do not matter.
    assertEquals(
        seen, read("POST", "https://API.example:443/api/tasks", 200, ApiBodies.created(ID)));
  }

  @Test
  void aStopOrAFinishedStatusEndsIt() {
    assertEquals(
        new Seen(Kind.ENDED, ID),
        read("PATCH", "https://api.example/api/tasks/" + ID, 200, ApiBodies.stopped(ID)));
    assertEquals(
        new Seen(Kind.ENDED, ID),
        read("PATCH", "https://api.example/api/tasks/" + ID, 200, null),
        "a 200 to the stop is enough, body or not");
    assertEquals(
        new Seen(Kind.ENDED, ID),
        read(
            "GET",
            "https://api.example/api/tasks/" + ID + "/status",
            200,
            ApiBodies.status(ID, "completed", true)));
    assertEquals(
        new Seen(Kind.ENDED, ID),
        read("GET", "https://api.example/api/tasks/" + ID, 200, ApiBodies.stopped(ID)));
  }

  @Test
  void aTaskStillRunningOrAnAnswerNotUnderstoodSaysNothing() {
    String status = "https://api.example/api/tasks/" + ID + "/status";
    for (ApiAnswer nothing :
        new ApiAnswer[] {
          answer("GET", status, 200, ApiBodies.status(ID, "processing", false)),
          answer("GET", status, 200, ApiBodies.status(ID, "some-new-status", false)),
          answer("GET", status, 200, ApiBodies.status("anotherTask123", "completed", true)),
          answer("GET", status, 200, null),
          answer("GET", status, 200, "not json"),
          answer("PATCH", "https://api.example/api/tasks/" + ID, 400, ApiBodies.error("x")),
          answer("POST", "https://api.example/api/tasks", 200, null),
          answer("POST", "https://api.example/api/tasks", 200, "{\"task\": {}}"),
          answer("POST", "https://api.example/api/tasks", 200, "{\"task\": {\"id\": \"a b\"}}"),
          answer("POST", "https://api.example/api/tasks", 500, ApiBodies.created(ID)),
          answer("POST", "https://api.example/api/tasks/" + ID + "/continue", 200, "{}"),
          answer("GET", "https://api.example/api/tasks", 200, "{\"tasks\": []}"),
        }) {
      assertEquals(Seen.NOTHING, answers.read(nothing), nothing.method() + " " + nothing.uri());
    }
  }

  @Test
  void otherOriginsNeverCount() {
    for (String uri :
        new String[] {
          "http://api.example/api/tasks",
          "https://api.example:8443/api/tasks",
          "https://other.example/api/tasks",
          "https://api.example.evil/api/tasks",
        }) {
      assertEquals(Seen.NOTHING, read("POST", uri, 200, ApiBodies.created(ID)), uri);
    }
  }

  @Test
  void aBaseUrlWithAPathCountsOnlyBelowIt() {
    TaskAnswers below = new TaskAnswers(ApiOrigin.of(URI.create("http://127.0.0.1:8080/proxy/")));
    assertEquals(
        new Seen(Kind.CREATED, ID),
        below.read(answer("POST", "http://127.0.0.1:8080/proxy/api/tasks", 200, created())));
    assertEquals(
        Seen.NOTHING,
        below.read(answer("POST", "http://127.0.0.1:8080/api/tasks", 200, created())));
  }

  @Test
  void aHugeBodyIsNotParsed() {
    byte[] huge = new byte[(1 << 20) + 1];
    Arrays.fill(huge, (byte) ' ');
    byte[] created = ApiBodies.created(ID).getBytes(StandardCharsets.UTF_8);
    System.arraycopy(created, 0, huge, 0, created.length);
    assertEquals(
        Seen.NOTHING,
        answers.read(
            new ApiAnswer("POST", URI.create("https://api.example/api/tasks"), 200, huge)));
  }

  static String created() {
    return ApiBodies.created(ID);
  }
}
