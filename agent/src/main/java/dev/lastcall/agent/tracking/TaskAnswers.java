package dev.lastcall.agent.tracking;

import dev.lastcall.TaskIds;
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
 * Anything else, including another origin, another code, a body that was not observed, is not JSON
 * or lacks the fields, says nothing: a task is never dropped on a guess, and a missed
 * deregistration only costs one cancel that finds it already done.
 */
public final class TaskAnswers {
  private static final String TASKS = "/api/tasks";

  private final ApiOrigin origin;

  public TaskAnswers(ApiOrigin origin) {
    this.origin = origin;
  }

  /** True if calls to {@code uri} (the API's origin, under its base path) may say something. */
  public boolean concerns(java.net.URI uri) {
    return origin.endpointPath(uri) != null;
  }

  /** What {@code answer} says; {@link Seen#NOTHING} for every answer this does not understand. */
  public Seen read(ApiAnswer answer) {
    String path = origin.endpointPath(answer.uri());
    if (path == null || answer.code() != 200) {
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

  /** What an answer said: a task created, a task over, or nothing. */
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
