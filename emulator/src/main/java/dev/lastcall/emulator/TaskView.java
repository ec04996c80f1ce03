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
 * @param family {@link #CLOUD} for a cloud task, {@link #V1} for a v1 Agent API run (whose status
 *     is named as that family names it: queued, running, cancelled, ...)
 */
public record TaskView(
    String id,
    String prompt,
    String status,
    int progress,
    Instant createdAt,
    Instant completedAt,
    long stopCalls,
    long successfulStops,
    String family) {
  /** The cloud Tasks API ({@code /api/tasks}). */
  public static final String CLOUD = "cloud";

  /** The v1 Agent API ({@code /api/v1/tasks}). */
  public static final String V1 = "v1";

  public TaskView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(family, "family");
  }

  /**
   * True once the status is terminal: completed, error, stopped, timeout for a cloud task;
   * completed, failed, cancelled, interrupted for a v1 run.
   */
  public boolean isDone() {
    return family.equals(V1) ? RunStatus.isDone(status) : TaskStatus.isDone(status);
  }
}
