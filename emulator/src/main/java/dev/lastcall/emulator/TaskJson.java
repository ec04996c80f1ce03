package dev.lastcall.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Renders tasks in the API's JSON shapes. Field names are the API's; keep them exact. */
final class TaskJson {
  /** Always three fraction digits and a Z, as JavaScript's toISOString() writes. */
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private TaskJson() {}

  static String iso(Instant instant) {
    return instant == null ? null : ISO.format(instant);
  }

  /** The full task object of create, get and list. */
  static ObjectNode task(TaskRecord r, TaskState s) {
    NewTask in = r.input;
    boolean started = !TaskStatus.PENDING.equals(s.status());
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    o.put("id", r.id);
    o.put("userId", r.userId);
    o.put("prompt", in.prompt());
    o.put("repoUrl", in.repoUrl());
    o.put("selectedAgent", in.selectedAgent());
    o.put("selectedModel", in.selectedModel());
    o.put("selectedBranch", in.selectedBranch());
    o.put("maxDuration", in.maxDuration());
    o.put("keepAlive", in.keepAlive());
    o.put("installDependencies", in.installDependencies());
    o.put("status", s.status());
    o.put("progress", s.progress());
    o.putArray("logs");
    o.put("error", s.error());
    // A sandbox and a branch exist only once the task has left pending.
    o.put("sandboxId", started ? "sbx_" + r.id : null);
    o.put("branchName", started ? "blackbox/" + r.id : null);
    o.putNull("prUrl");
    o.put("createdAt", iso(r.createdAt));
    o.put("updatedAt", iso(s.updatedAt()));
    o.put("completedAt", iso(s.completedAt()));
    return o;
  }

  static ObjectNode wrapped(TaskRecord r, TaskState s) {
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    o.set("task", task(r, s));
    return o;
  }

  static ObjectNode list(
      List<TaskRecord> items, Instant now, boolean hasMore, int offset, int limit) {
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    ArrayNode tasks = o.putArray("tasks");
    for (TaskRecord r : items) {
      tasks.add(task(r, r.stateAt(now)));
    }
    o.put("hasMore", hasMore);
    o.put("offset", offset);
    o.put("limit", limit);
    return o;
  }

  /** The light answer of {@code GET /api/tasks/{id}/status}, made for frequent polling. */
  static ObjectNode status(TaskRecord r, TaskState s) {
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    o.put("taskId", r.id);
    o.put("status", s.status());
    o.put("progress", s.progress());
    o.put("inProgress", TaskStatus.inProgress(s.status()));
    o.put("isDone", TaskStatus.isDone(s.status()));
    o.put("error", s.error());
    o.put("createdAt", iso(r.createdAt));
    o.put("updatedAt", iso(s.updatedAt()));
    o.put("completedAt", iso(s.completedAt()));
    o.put(
        "duration",
        s.completedAt() == null
            ? null
            : Duration.between(r.createdAt, s.completedAt()).toSeconds() + "s");
    return o;
  }

  /** The 200 answer of a successful stop. */
  static ObjectNode stopped(TaskRecord r, TaskState s) {
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    o.put("message", "Task stopped successfully");
    ObjectNode t = o.putObject("task");
    t.put("id", r.id);
    t.put("userId", r.userId);
    t.put("status", s.status());
    t.put("error", s.error());
    t.put("updatedAt", iso(s.updatedAt()));
    t.put("completedAt", iso(s.completedAt()));
    return o;
  }
}
