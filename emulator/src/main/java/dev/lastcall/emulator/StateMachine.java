package dev.lastcall.emulator;

import java.time.Duration;
import java.time.Instant;

/**
 * Derives a task's state from its creation time and the clock, so that no task needs a timer:
 * pending, then processing (progress rising 0..90), then saving, then completed (progress 100). A
 * task whose {@code maxDuration} runs out while processing ends as timeout instead. Pure functions
 * only; the result for a given instant never changes.
 */
final class StateMachine {
  static final int PROCESSING_MAX_PROGRESS = 90;
  static final int SAVING_PROGRESS = 95;
  static final String STOPPED_ERROR = "Task was stopped by user";

  private StateMachine() {}

  static TaskState derive(Instant createdAt, Duration maxDuration, Timings timings, Instant now) {
    Instant processingStart = createdAt.plus(timings.pending());
    if (now.isBefore(processingStart)) {
      return new TaskState(TaskStatus.PENDING, 0, createdAt, null, null);
    }
    // The limit only bites while processing: saving is the service's own work.
    if (maxDuration.compareTo(timings.processing()) < 0) {
      Instant deadline = processingStart.plus(maxDuration);
      if (!now.isBefore(deadline)) {
        return new TaskState(
            TaskStatus.TIMEOUT,
            progress(maxDuration, timings.processing()),
            deadline,
            deadline,
            "Task exceeded maximum duration of " + maxDuration.toSeconds() + "s");
      }
    }
    Instant savingStart = processingStart.plus(timings.processing());
    if (now.isBefore(savingStart)) {
      Duration elapsed = Duration.between(processingStart, now);
      return new TaskState(
          TaskStatus.PROCESSING,
          progress(elapsed, timings.processing()),
          processingStart,
          null,
          null);
    }
    Instant completedAt = savingStart.plus(timings.saving());
    if (now.isBefore(completedAt)) {
      return new TaskState(TaskStatus.SAVING, SAVING_PROGRESS, savingStart, null, null);
    }
    return new TaskState(TaskStatus.COMPLETED, 100, completedAt, completedAt, null);
  }

  /** Linear 0..90 over the processing phase; never reaches 90 before the phase ends. */
  static int progress(Duration elapsed, Duration processing) {
    long total = processing.toNanos();
    if (total <= 0) {
      return PROCESSING_MAX_PROGRESS;
    }
    double fraction = Math.min(1.0, (double) elapsed.toNanos() / total);
    return (int) Math.floor(fraction * PROCESSING_MAX_PROGRESS);
  }

  /** Error text that goes with a status set by hand through {@link Emulator#forceStatus}. */
  static String errorFor(String status) {
    switch (status) {
      case TaskStatus.STOPPED:
        return STOPPED_ERROR;
      case TaskStatus.ERROR:
        return "Task failed";
      case TaskStatus.TIMEOUT:
        return "Task exceeded maximum duration";
      default:
        return null;
    }
  }
}
