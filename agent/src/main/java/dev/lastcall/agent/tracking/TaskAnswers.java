package dev.lastcall.agent.tracking;

import dev.lastcall.TaskIds;
import dev.lastcall.TaskRef;
import dev.lastcall.client.Task;
import dev.lastcall.client.TaskStatus;
import dev.lastcall.client.internal.JsonBodies;
import java.util.Optional;

/**
 * What an answer the application received says about its tasks, by the Tasks API's documented
 * shapes; the one place these rules are written:
 *
 * <ul>
 *   <li>{@code 200} to {@code POST /api/tasks} with {@code {"task": {"id": ...}}}: a task was
 *       created, so track it;
 *   <li>{@code 200} to {@code PATCH /api/tasks/{id}} (the stop): it is over;
 *   <li>{@code 200} to {@code GET /api/tasks/{id}/status} with {@code isDone} (or a finished
 *       status), or to {@code GET /api/tasks/{id}} whose task has a finished status: it is over.
 * </ul>
 *
 * And by the v1 Agent API's, for calls under {@code agentBaseUrl} (which ends in {@code /api/v1}):
 *
 * <ul>
 *   <li>{@code 200} to {@code POST {agentBaseUrl}/tasks} with {@code {"runId": ...}} (or {@code
 *       taskId}, which equals it): a run was created, so track {@code v1/RUNID};
 *   <li>{@code 200} to {@code PATCH {agentBaseUrl}/tasks/{runId}} whose body says {@code status:
 *       cancelled}: it is over (the same call can only set a title, so a bare 200 says nothing);
 *   <li>{@code 200} to {@code GET {agentBaseUrl}/tasks/{runId}/status} with a finished status
 *       ({@code completed}, {@code failed}, {@code cancelled}, {@code interrupted}): it is over.
 * </ul>
 *
 * Anything else, including another origin, another code, a body that was not observed, is not JSON
 * or lacks the fields, says nothing: a task is never dropped on a guess, and a missed
 * deregistration only costs one cancel that finds it already done.
 */
public final class TaskAnswers {
  private static final String TASKS = "/api/tasks";

  private static final String RUNS = "/tasks";

  private final ApiOrigin origin;
  private final ApiOrigin agentOrigin;

  /** Answers of the cloud API at {@code origin} only. */
  public TaskAnswers(ApiOrigin origin) {
    this(origin, null);
  }

  /**
   * Answers of the cloud API at {@code origin} and of the v1 Agent API at {@code agentOrigin} (null
   * for none).
   */
  public TaskAnswers(ApiOrigin origin, ApiOrigin agentOrigin) {
    this.origin = origin;
    this.agentOrigin = agentOrigin;
  }

  /** True if calls to {@code uri} (either API's origin, under its base path) may say something. */
  public boolean concerns(java.net.URI uri) {
    return origin.endpointPath(uri) != null
        || agentOrigin != null && agentOrigin.endpointPath(uri) != null;
  }

  /** What {@code answer} says; {@link Seen#NOTHING} for every answer this does not understand. */
  public Seen read(ApiAnswer answer) {
    if (answer.code() != 200) {
      return Seen.NOTHING;
    }
    // The v1 base path is the longer one on a shared host (/api/v1 beside the cloud's /api/tasks),
    // and the two never overlap; asked first all the same, so that a cloud base URL configured as
    // a prefix of the v1 one cannot read a run's answer by the cloud's rules.
    String runPath = agentOrigin == null ? null : agentOrigin.endpointPath(answer.uri());
    if (runPath != null) {
      return readRun(answer, runPath);
    }
    String path = origin.endpointPath(answer.uri());
    if (path == null) {
      return Seen.NOTHING;
    }
    String method = answer.method();
    if (path.equals(TASKS) || path.equals(TASKS + "/")) {
      return method.equals("POST") ? created(answer.body()) : Seen.NOTHING;
    }
    if (!path.startsWith(TASKS + "/")) {
      return Seen.NOTHING;
    }
    String[] rest = path.substring(TASKS.length() + 1).split("/", -1);
    String id = rest[0];
    if (TaskIds.problem(id) != null) {
      return Seen.NOTHING;
    }
    if (rest.length == 1 && method.equals("PATCH")) {
      return Seen.ended(id);
    }
    if (rest.length == 1 && method.equals("GET")) {
      return task(answer.body())
          .filter(t -> t.id().equals(id) && t.isDone())
          .map(t -> Seen.ended(id))
          .orElse(Seen.NOTHING);
    }
    if (rest.length == 2 && rest[1].equals("status") && method.equals("GET")) {
      return status(answer.body(), id)
          .filter(s -> s.taskId().equals(id) && s.isDone())
          .map(s -> Seen.ended(id))
          .orElse(Seen.NOTHING);
    }
    return Seen.NOTHING;
  }

  private static Seen readRun(ApiAnswer answer, String path) {
    String method = answer.method();
    if (path.equals(RUNS) || path.equals(RUNS + "/")) {
      return method.equals("POST") ? createdRun(answer.body()) : Seen.NOTHING;
    }
    if (!path.startsWith(RUNS + "/")) {
      return Seen.NOTHING;
    }
    String[] rest = path.substring(RUNS.length() + 1).split("/", -1);
    String runId = rest[0];
    if (TaskIds.problem(runId) != null) {
      return Seen.NOTHING;
    }
    boolean cancel = rest.length == 1 && method.equals("PATCH");
    boolean status = rest.length == 2 && rest[1].equals("status") && method.equals("GET");
    if (!cancel && !status) {
      return Seen.NOTHING;
    }
    String said = field(answer.body(), "status");
    boolean over =
        cancel ? "cancelled".equals(said) : said != null && JsonBodies.RUN_FINISHED.contains(said);
    return over ? Seen.ended(TaskRef.v1Run(runId).key()) : Seen.NOTHING;
  }

  private static Seen createdRun(byte[] body) {
    String runId = field(body, "runId");
    if (runId == null) {
      runId = field(body, "taskId");
    }
    return runId != null && TaskIds.problem(runId) == null
        ? Seen.created(TaskRef.v1Run(runId).key())
        : Seen.NOTHING;
  }

  /** A top-level string field of a JSON object body, or null. */
  private static String field(byte[] body, String name) {
    if (body == null) {
      return null;
    }
    try {
      Object root = JsonBodies.parse(body);
      Object value = root instanceof java.util.Map ? ((java.util.Map<?, ?>) root).get(name) : null;
      return value instanceof String ? (String) value : null;
    } catch (JsonBodies.Malformed e) {
      return null;
    }
  }

  private static Seen created(byte[] body) {
    return task(body)
        .filter(t -> TaskIds.problem(t.id()) == null)
        .map(t -> Seen.created(t.id()))
        .orElse(Seen.NOTHING);
  }

  private static Optional<Task> task(byte[] body) {
    if (body == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JsonBodies.taskEnvelope(JsonBodies.parse(body)));
    } catch (JsonBodies.Malformed e) {
      return Optional.empty();
    }
  }

  private static Optional<TaskStatus> status(byte[] body, String id) {
    if (body == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JsonBodies.status(JsonBodies.parse(body), id));
    } catch (JsonBodies.Malformed e) {
      return Optional.empty();
    }
  }

  /** What an answer said: a task created, a task over, or nothing; {@code id} is its key. */
  public record Seen(Kind kind, String id) {
    static final Seen NOTHING = new Seen(Kind.NOTHING, null);

    static Seen created(String id) {
      return new Seen(Kind.CREATED, id);
    }

    static Seen ended(String id) {
      return new Seen(Kind.ENDED, id);
    }
  }

  /** The kinds of {@link Seen}. */
  public enum Kind {
    CREATED,
    ENDED,
    NOTHING
  }
}
