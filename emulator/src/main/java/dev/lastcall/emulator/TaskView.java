package dev.lastcall.emulator;

import java.time.Instant;
import java.util.Objects;

/**
 * An immutable snapshot of one emulated task, for tests and the demo to inspect without HTTP.
 *
 * @param id the task id, as in the API
 * @param prompt the prompt it was created with
 * @param status the status at the time of the snapshot (e.g. "processing", "stopped")
 * @param progress 0..100
 * @param createdAt when it was created
 * @param completedAt when it finished, or null while it has not
 * @param stopCalls how many {@code PATCH /api/tasks/{id}} requests named it, whatever their outcome
 * @param successfulStops how many of those stopped it (answered 200)
 */
public record TaskView(
    String id,
    String prompt,
    String status,
    int progress,
    Instant createdAt,
    Instant completedAt,
    long stopCalls,
    long successfulStops) {

  public TaskView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** True once the status is terminal (completed, error, stopped, timeout). */
  public boolean isDone() {
    return TaskStatus.isDone(status);
  }
}
