package dev.lastcall.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The v1 Agent API ({@code /api/v1/tasks}, {@code sk-} keys): create, list, get, status and cancel
 * of runs, as documented. Where the documentation is silent the emulator chooses, and says so here:
 *
 * <ul>
 *   <li>a cancel of a run still {@code queued} answers 400 (as a cloud task still pending does), so
 *       a client must re-check the status and retry; a cancel of a finished run answers 400 too;
 *   <li>another user's run answers 403 (the cloud family answers 404), an unknown one 404;
 *   <li>{@code GET /api/v1/tasks/{runId}} answers the run as the list shows it.
 * </ul>
 */
final class AgentRuns implements ApiFamily {
  private static final int MAX_TITLE = 200;

  private final TaskStore store;
  private final ApiKeys keys;

  AgentRuns(TaskStore store, ApiKeys keys) {
    this.store = store;
    this.keys = keys;
  }

  @Override
  public boolean isCancelCall(String method, String rawPath) {
    return "PATCH".equals(method) && RunRoute.of(rawPath).kind() == RunRoute.Kind.RUN;
  }

  @Override
  public Optional<TaskRecord> cancelTarget(String rawPath) {
    return store.find(RunRoute.of(rawPath).runId());
  }

  @Override
  public String cancelFailure() {
    return "Failed to cancel task";
  }

  @Override
  public HttpAnswer answer(
      String method, String rawPath, String authorization, String query, byte[] body) {
    RunRoute route = RunRoute.of(rawPath);
    if (route.kind() == RunRoute.Kind.NOT_FOUND) {
      return HttpAnswer.notFound();
    }
    if (!route.allows(method)) {
      return HttpAnswer.methodNotAllowed(route.allow());
    }
    Optional<String> user = keys.userForHeader(authorization);
    if (user.isEmpty()) {
      return HttpAnswer.error(401, "Invalid or missing API key");
    }
    String userId = user.get();
    switch (route.kind()) {
      case COLLECTION:
        return method.equals("GET") ? list(userId, query) : create(userId, body);
      case RUN:
        return method.equals("GET")
            ? owned(route.runId(), userId, r -> RunJson.run(r, r.stateAt(store.now())))
            : cancel(userId, route.runId(), body);
      default:
        return owned(route.runId(), userId, r -> RunJson.status(r, r.stateAt(store.now())));
    }
  }

  private HttpAnswer create(String userId, byte[] body) {
    JsonNode json = ApiFamily.parse(body, "Invalid JSON body");
    JsonNode prompt = json.get("prompt");
    if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
      return HttpAnswer.error(400, "prompt is required");
    }
    TaskRecord record = store.create(userId, NewTask.ofPrompt(prompt.asText()));
    return HttpAnswer.json(200, RunJson.created(record));
  }

  private HttpAnswer list(String userId, String query) {
    Map<String, String> params = ListQuery.params(query);
    int page = ListQuery.integer(params, "page", 1, 1, Integer.MAX_VALUE);
    int limit = ListQuery.integer(params, "limit", 20, 1, 100);
    long offset = (long) (page - 1) * limit;
    if (offset > Integer.MAX_VALUE) {
      return HttpAnswer.json(
          200, RunJson.list(java.util.List.of(), store.now(), page, limit, false));
    }
    Instant now = store.now();
    TaskStore.Page found = store.page(userId, r -> true, (int) offset, limit);
    return HttpAnswer.json(200, RunJson.list(found.items(), now, page, limit, found.hasMore()));
  }

  private HttpAnswer cancel(String userId, String runId, byte[] body) {
    JsonNode json = ApiFamily.parse(body, "Invalid JSON body");
    JsonNode action = json.get("action");
    JsonNode title = json.get("title");
    if (action != null && (!action.isTextual() || !action.asText().equals("cancel"))) {
      return HttpAnswer.error(400, "Invalid action");
    }
    if (title != null
        && (!title.isTextual()
            || title.asText().isEmpty()
            || title.asText().length() > MAX_TITLE)) {
      return HttpAnswer.error(400, "title must be a string of 1 to " + MAX_TITLE + " characters");
    }
    if (action == null && title == null) {
      return HttpAnswer.error(400, "Nothing to update: send {\"action\": \"cancel\"} or a title");
    }
    Optional<TaskRecord> found = store.find(runId);
    if (found.isEmpty()) {
      return HttpAnswer.error(404, "Task not found");
    }
    TaskRecord record = found.get();
    if (!record.userId.equals(userId)) {
      return HttpAnswer.error(403, "You do not have access to this task");
    }
    if (action == null) {
      return HttpAnswer.json(200, RunJson.titled(record));
    }
    // Cancel takes precedence over a title sent with it.
    if (record.stop(store.now()) != null) {
      return HttpAnswer.json(200, RunJson.cancelled(record));
    }
    String status = RunStatus.of(record.stateAt(store.now()).status());
    return HttpAnswer.error(
        400,
        RunStatus.isDone(status)
            ? "Task is already " + status
            : "Task cannot be cancelled while " + status);
  }

  private HttpAnswer owned(
      String runId, String userId, java.util.function.Function<TaskRecord, JsonNode> render) {
    Optional<TaskRecord> found = store.find(runId);
    if (found.isEmpty()) {
      return HttpAnswer.error(404, "Task not found");
    }
    if (!found.get().userId.equals(userId)) {
      return HttpAnswer.error(403, "You do not have access to this task");
    }
    return HttpAnswer.json(200, render.apply(found.get()));
  }
}
