package dev.lastcall.client;

import java.util.Objects;

/**
 * A task's status as {@code GET /api/tasks/{id}/status} reports it, the call made for frequent
 * polling. Fields the server did not send are null (or false); unknown fields are ignored and
 * unknown status values are kept as sent.
 *
 * @param taskId the task id, never null
 * @param status the status exactly as sent, never null: {@code pending}, {@code processing} and
 *     {@code saving} are not finished; {@code completed}, {@code error}, {@code stopped} and {@code
 *     timeout} are
 * @param progress percent complete, or null if not sent
 * @param inProgress what the server said about being in progress (false if it did not say)
 * @param isDone true if the server said {@code isDone: true} or {@code status} is a finished
 *     status; an unknown status with no {@code isDone} is not done
 * @param error the task's error text, or null
 * @param createdAt creation time as ISO-8601 text, or null
 * @param updatedAt last update time, or null
 * @param completedAt completion time, or null while running
 * @param duration run time as the server formats it (for example {@code "900s"}), or null
 */
public record TaskStatus(
    String taskId,
    String status,
    Integer progress,
    boolean inProgress,
    boolean isDone,
    String error,
    String createdAt,
    String updatedAt,
    String completedAt,
    String duration) {

  public TaskStatus {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(status, "status");
    // The server's flag is trusted when it says done; a finished status is trusted even if the
    // flag is missing. Nothing else makes a task done.
    isDone = isDone || Task.FINISHED.contains(status);
  }
}
