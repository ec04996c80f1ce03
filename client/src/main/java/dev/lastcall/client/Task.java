package dev.lastcall.client;

import java.util.Objects;
import java.util.Set;

/**
 * A cloud task as the Tasks API describes it ({@code GET /api/tasks/{id}}, or the {@code task} of a
 * successful stop). Fields the server did not send are null; fields this client does not know are
 * ignored. Timestamps are kept as the ISO-8601 text the server sent.
 *
 * @param id the task id, never null
 * @param userId the owning user, or null
 * @param status the status exactly as sent (unknown values are kept), never null
 * @param progress percent complete, or null if not sent
 * @param error the task's error text (a stopped task says why), or null
 * @param createdAt creation time, or null
 * @param updatedAt last update time, or null
 * @param completedAt completion time, or null while running
 */
public record Task(
    String id,
    String userId,
    String status,
    Integer progress,
    String error,
    String createdAt,
    String updatedAt,
    String completedAt) {

  /** The statuses after which a task never changes again. */
  static final Set<String> FINISHED = Set.of("completed", "error", "stopped", "timeout");

  public Task {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
  }

  /**
   * True if {@link #status} is one of the finished statuses {@code completed}, {@code error},
   * {@code stopped} or {@code timeout}. Unknown statuses count as not finished: a task is only
   * assumed to be over when the server says so in words this client understands.
   */
  public boolean isDone() {
    return FINISHED.contains(status);
  }
}
