package dev.lastcall.emulator;

import java.util.Set;

/**
 * The v1 Agent API's status values. A run lives on the same clock-driven life as a cloud task
 * ({@link StateMachine}); this names each phase as the v1 family does: pending is {@code queued},
 * processing and saving are {@code running}, a stop is {@code cancelled}, an error or a timeout is
 * {@code failed}. A status forced by a test ({@code interrupted}, say) is shown as it is.
 */
final class RunStatus {
  static final String QUEUED = "queued";
  static final String RUNNING = "running";
  static final String COMPLETED = "completed";
  static final String FAILED = "failed";
  static final String CANCELLED = "cancelled";
  static final String INTERRUPTED = "interrupted";

  private static final Set<String> DONE = Set.of(COMPLETED, FAILED, CANCELLED, INTERRUPTED);

  private RunStatus() {}

  /** The v1 name of a record's status. */
  static String of(String recordStatus) {
    switch (recordStatus) {
      case TaskStatus.PENDING:
        return QUEUED;
      case TaskStatus.PROCESSING:
      case TaskStatus.SAVING:
        return RUNNING;
      case TaskStatus.ERROR:
      case TaskStatus.TIMEOUT:
        return FAILED;
      case TaskStatus.STOPPED:
        return CANCELLED;
      default:
        return recordStatus;
    }
  }

  /** The record status a v1 status forced by a test stands for; unknown names are kept. */
  static String toRecord(String v1Status) {
    switch (v1Status) {
      case QUEUED:
        return TaskStatus.PENDING;
      case RUNNING:
        return TaskStatus.PROCESSING;
      case FAILED:
        return TaskStatus.ERROR;
      case CANCELLED:
        return TaskStatus.STOPPED;
      default:
        return v1Status;
    }
  }

  /** True for the terminal statuses completed, failed, cancelled and interrupted. */
  static boolean isDone(String status) {
    return DONE.contains(status);
  }
}
