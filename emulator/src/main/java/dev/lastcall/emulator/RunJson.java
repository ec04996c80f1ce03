package dev.lastcall.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** Renders runs in the v1 Agent API's JSON shapes: flat objects, no {@code task} envelope. */
final class RunJson {
  private RunJson() {}

  /** The 200 answer of {@code POST /api/v1/tasks}: {@code taskId} equals {@code runId}. */
  static ObjectNode created(TaskRecord r) {
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    o.put("taskId", r.id);
    o.put("runId", r.id);
    o.put("assistantMessageId", "msg_" + shortId(r));
    o.put("chatId", "chat_" + shortId(r));
    o.put("agentCount", 1);
    return o;
  }

  /** One run as list and get show it. */
  static ObjectNode run(TaskRecord r, TaskState s) {
    String status = RunStatus.of(s.status());
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    o.put("taskId", r.id);
    o.put("runId", r.id);
    o.put("chatId", "chat_" + shortId(r));
    o.put("prompt", r.input.prompt());
    o.put("status", status);
    o.putNull("model");
    o.put("error", s.error());
    o.put("createdAt", TaskJson.iso(r.createdAt));
    o.put("startedAt", TaskJson.iso(startedAt(r, s)));
    o.put("completedAt", TaskJson.iso(s.completedAt()));
    o.put("assistantMessageId", "msg_" + shortId(r));
    return o;
  }

  static ObjectNode list(List<TaskRecord> items, Instant now, int page, int limit, boolean more) {
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    ArrayNode runs = o.putArray("tasks");
    for (TaskRecord r : items) {
      runs.add(run(r, r.stateAt(now)));
    }
    o.put("page", page);
    o.put("limit", limit);
    o.put("hasMore", more);
    return o;
  }

  /** The light answer of {@code GET /api/v1/tasks/{runId}/status}. */
  static ObjectNode status(TaskRecord r, TaskState s) {
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    o.put("runId", r.id);
    o.put("status", RunStatus.of(s.status()));
    o.put("progress", s.progress());
    o.put("error", s.error());
    o.put("startedAt", TaskJson.iso(startedAt(r, s)));
    o.put("completedAt", TaskJson.iso(s.completedAt()));
    return o;
  }

  /** The 200 answer of a cancel. */
  static ObjectNode cancelled(TaskRecord r) {
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    o.put("success", true);
    o.put("status", RunStatus.CANCELLED);
    o.put("message", "Task " + r.id + " cancelled successfully");
    return o;
  }

  /** The 200 answer of a title-only update. */
  static ObjectNode titled(TaskRecord r) {
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    o.put("success", true);
    o.put("message", "Task " + r.id + " updated successfully");
    return o;
  }

  private static Instant startedAt(TaskRecord r, TaskState s) {
    return RunStatus.QUEUED.equals(RunStatus.of(s.status())) ? null : r.startedAt();
  }

  private static String shortId(TaskRecord r) {
    String bare = r.id.replace("-", "");
    return bare.substring(0, Math.min(12, bare.length()));
  }
}
