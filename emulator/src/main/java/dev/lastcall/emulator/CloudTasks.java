package dev.lastcall.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;

/**
 * The cloud Tasks API ({@code /api/tasks}, {@code bb_} keys): its routes and its documented
 * answers, computed when they are sent so that they reflect the state at that time.
 */
final class CloudTasks implements ApiFamily {
  private final TaskStore store;
  private final ApiKeys keys;

  CloudTasks(TaskStore store, ApiKeys keys) {
    this.store = store;
    this.keys = keys;
  }

  @Override
  public boolean isCancelCall(String method, String rawPath) {
    return "PATCH".equals(method) && ApiRoute.of(rawPath).kind() == ApiRoute.Kind.TASK;
  }

  @Override
  public Optional<TaskRecord> cancelTarget(String rawPath) {
    return store.find(ApiRoute.of(rawPath).taskId());
  }

  @Override
  public String cancelFailure() {
    return "Failed to stop task";
  }

  @Override
  public HttpAnswer answer(
      String method, String rawPath, String authorization, String query, byte[] body) {
    ApiRoute route = ApiRoute.of(rawPath);
    if (route.kind() == ApiRoute.Kind.NOT_FOUND) {
      return HttpAnswer.notFound();
    }
    boolean allowed;
    switch (route.kind()) {
      case COLLECTION:
        allowed = method.equals("GET") || method.equals("POST");
        break;
      case TASK:
        allowed = method.equals("GET") || method.equals("PATCH");
        break;
      default:
        allowed = method.equals("GET");
    }
    if (!allowed) {
      return HttpAnswer.methodNotAllowed(route.allow());
    }
    Optional<String> user = keys.userForHeader(authorization);
    if (user.isEmpty()) {
      return HttpAnswer.unauthorized();
    }
    String userId = user.get();
    switch (route.kind()) {
      case COLLECTION:
        return method.equals("GET") ? list(userId, query) : create(userId, body);
      case TASK:
        return method.equals("GET")
            ? get(userId, route.taskId())
            : stop(userId, route.taskId(), body);
      default:
        return status(userId, route.taskId());
    }
  }

  private HttpAnswer create(String userId, byte[] body) {
    JsonNode json = ApiFamily.parse(body, "Invalid JSON body");
    TaskRecord record = store.create(userId, NewTask.parse(json));
    return HttpAnswer.json(200, TaskJson.wrapped(record, record.stateAt(store.now())));
  }

  private HttpAnswer list(String userId, String query) {
    ListQuery q = ListQuery.parse(query);
    Instant now = store.now();
    var matcher = q.matcher();
    TaskStore.Page page =
        store.page(userId, r -> matcher.test(r.stateAt(now).status()), q.offset(), q.limit());
    return HttpAnswer.json(
        200, TaskJson.list(page.items(), now, page.hasMore(), q.offset(), q.limit()));
  }

  private HttpAnswer get(String userId, String taskId) {
    return store
        .findOwned(taskId, userId)
        .map(r -> HttpAnswer.json(200, TaskJson.wrapped(r, r.stateAt(store.now()))))
        .orElseGet(CloudTasks::taskNotFound);
  }

  private HttpAnswer status(String userId, String taskId) {
    return store
        .findOwned(taskId, userId)
        .map(r -> HttpAnswer.json(200, TaskJson.status(r, r.stateAt(store.now()))))
        .orElseGet(CloudTasks::taskNotFound);
  }

  private HttpAnswer stop(String userId, String taskId, byte[] body) {
    // Upstream checks the action before it looks the task up.
    JsonNode json = ApiFamily.parse(body, "Invalid action");
    JsonNode action = json.get("action");
    if (action == null || !action.isTextual() || !action.asText().equals("stop")) {
      return HttpAnswer.error(400, "Invalid action");
    }
    Optional<TaskRecord> found = store.findOwned(taskId, userId);
    if (found.isEmpty()) {
      return taskNotFound();
    }
    TaskRecord record = found.get();
    TaskState stopped = record.stop(store.now());
    if (stopped == null) {
      return HttpAnswer.error(400, "Task can only be stopped when it is in progress");
    }
    return HttpAnswer.json(200, TaskJson.stopped(record, stopped));
  }

  private static HttpAnswer taskNotFound() {
    return HttpAnswer.error(404, "Task not found");
  }
}
