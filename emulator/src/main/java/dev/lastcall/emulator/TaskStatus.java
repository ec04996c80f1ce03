package dev.lastcall.emulator;

import java.util.Set;

/** The status values of the Tasks API and which of them mean "still running" or "finished". */
final class TaskStatus {
  static final String PENDING = "pending";
  static final String PROCESSING = "processing";
  static final String SAVING = "saving";
  static final String COMPLETED = "completed";
  static final String ERROR = "error";
  static final String STOPPED = "stopped";
  static final String TIMEOUT = "timeout";

  private static final Set<String> IN_PROGRESS = Set.of(PENDING, PROCESSING, SAVING);
  private static final Set<String> DONE = Set.of(COMPLETED, ERROR, STOPPED, TIMEOUT);

  private TaskStatus() {}

  /** True for pending, processing and saving. Unknown values (a forced test status) are neither. */
  static boolean inProgress(String status) {
    return IN_PROGRESS.contains(status);
  }

  /** True for the terminal statuses completed, error, stopped and timeout. */
  static boolean isDone(String status) {
    return DONE.contains(status);
  }

  /** Only these can be stopped: a pending task has no sandbox to tear down yet. */
  static boolean stoppable(String status) {
    return PROCESSING.equals(status) || SAVING.equals(status);
  }
}
