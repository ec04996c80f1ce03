package dev.lastcall.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.agent.tracking.TaskAnswers.Kind;
import dev.lastcall.agent.tracking.TaskAnswers.Seen;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the application's answers from the v1 Agent API say about its runs: a create registers
 * {@code v1/RUNID}, a confirmed cancel or a finished status read ends it; the cloud API's answers
 * on the same host keep their own rules.
 */
class RunAnswersTest {
  static final String RUN = "run_7QyX2k";
  static final String KEY = "v1/" + RUN;
  static final String RUNS = "http://127.0.0.1:8080/api/v1/tasks";

  final TaskAnswers answers =
      new TaskAnswers(
          ApiOrigin.of(URI.create("http://127.0.0.1:8080")),
          ApiOrigin.of(URI.create("http://127.0.0.1:8080/api/v1")));

  Seen read(String method, String uri, int code, String body) {
    return answers.read(
        new ApiAnswer(
            method,
            URI.create(uri),
            code,
            body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
  }

  static String created() {
    return "{\"taskId\":\""
        + RUN
        + "\",\"runId\":\""
        + RUN
        + "\",\"assistantMessageId\":\"m\",\"chatId\":\"c\",\"agentCount\":1}";
  }

  static String status(String status) {
    return "{\"runId\":\"" + RUN + "\",\"status\":\"" + status + "\",\"progress\":0}";
  }

  @Test
  void aCreatedRunIsSeenByItsKey() {
    assertEquals(new Seen(Kind.CREATED, KEY), read("POST", RUNS, 200, created()));
    assertEquals(
        new Seen(Kind.CREATED, KEY),
        read("POST", RUNS, 200, "{\"taskId\":\"" + RUN + "\"}"),
        "taskId equals runId");
    assertTrue(answers.concerns(URI.create(RUNS)));
  }

  @Test
  void aConfirmedCancelEndsIt() {
    assertEquals(
        new Seen(Kind.ENDED, KEY),
        read(
            "PATCH",
            RUNS + "/" + RUN,
            200,
            "{\"success\":true,\"status\":\"cancelled\",\"message\":\"ok\"}"));
    assertEquals(
        Seen.NOTHING,
        read("PATCH", RUNS + "/" + RUN, 200, "{\"success\":true}"),
        "a title change answers 200 too: only status cancelled ends the run");
    assertEquals(Seen.NOTHING, read("PATCH", RUNS + "/" + RUN, 200, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"completed", "failed", "cancelled", "interrupted"})
  void aFinishedStatusReadEndsIt(String finished) {
    assertEquals(
        new Seen(Kind.ENDED, KEY),
        read("GET", RUNS + "/" + RUN + "/status", 200, status(finished)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"queued", "running", "pending", "in_progress", "whatever"})
  void aRunNotFinishedSaysNothing(String notFinished) {
    assertEquals(Seen.NOTHING, read("GET", RUNS + "/" + RUN + "/status", 200, status(notFinished)));
  }

  @Test
  void otherAnswersSayNothing() {
    assertEquals(Seen.NOTHING, read("POST", RUNS, 400, created()));
    assertEquals(Seen.NOTHING, read("POST", RUNS, 200, "not json"));
    assertEquals(Seen.NOTHING, read("GET", RUNS, 200, created()));
    assertEquals(Seen.NOTHING, read("POST", RUNS, 200, "{\"runId\":\"a/b\"}"));
    assertEquals(
        Seen.NOTHING,
        read("POST", "http://127.0.0.1:9999/api/v1/tasks", 200, created()),
        "another port is another origin");
    assertEquals(
        Seen.NOTHING,
        read("GET", RUNS + "/" + RUN, 200, status("completed")),
        "the get-task answer is not counted");
  }

  @Test
  void theCloudApiOnTheSameHostKeepsItsRules() {
    assertEquals(
        new Seen(Kind.CREATED, "ac2wbk3l"),
        read(
            "POST",
            "http://127.0.0.1:8080/api/tasks",
            200,
            "{\"task\":{\"id\":\"ac2wbk3l\"," + "\"status\":\"pending\"}}"));
    assertFalse(
        new TaskAnswers(ApiOrigin.of(URI.create("http://127.0.0.1:8080")))
            .read(
                new ApiAnswer(
                    "POST", URI.create(RUNS), 200, created().getBytes(StandardCharsets.UTF_8)))
            .kind()
            .equals(Kind.CREATED),
        "without a v1 origin, a run's create is nothing");
  }
}
