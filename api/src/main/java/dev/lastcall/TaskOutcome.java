package dev.lastcall;

import java.time.Duration;
import java.util.Objects;

/**
 * What became of one task in a bulk cancel.
 *
 * @param id the task's {@linkplain TaskRef#key() key}: a cloud task's id, or {@code v1/} + the run
 *     id for a v1 Agent API run
 * @param outcome what became of it
 * @param attempts HTTP requests made for this task: stop requests and status checks together
 * @param elapsed time from submission until the outcome was known
 * @param detail a short reason in words plus the HTTP code, for example {@code "stopped"}, {@code
 *     "status completed"}, {@code "HTTP 404 Task not found"}, {@code "gave up: HTTP 403"} or {@code
 *     "deadline reached: last answer HTTP 500"}; never contains the API key
 * @param httpStatus the status code of the last HTTP answer about this task (a {@code 200} that
 *     confirmed it, the {@code 404} that gave up, the {@code 500} before the deadline), or {@code
 *     0} when no answer came: no request was made, the deadline passed before any answer, or the
 *     connection failed (TLS, proxy, refused)
 */
public record TaskOutcome(
    String id, Outcome outcome, int attempts, Duration elapsed, String detail, int httpStatus) {
  public TaskOutcome {
    TaskIds.requireValidKey(id);
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(detail, "detail");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0 but was " + attempts);
    }
    if (elapsed.isNegative()) {
      throw new IllegalArgumentException("elapsed must not be negative but was " + elapsed);
    }
    if (httpStatus != 0 && (httpStatus < 100 || httpStatus > 999)) {
      throw new IllegalArgumentException(
          "httpStatus must be 0 (no answer) or a three-digit HTTP status code (100 to 999) but was "
              + httpStatus);
    }
  }

  /** An outcome reached without an HTTP answer about the task ({@link #httpStatus()} 0). */
  public TaskOutcome(String id, Outcome outcome, int attempts, Duration elapsed, String detail) {
    this(id, outcome, attempts, elapsed, detail, 0);
  }

  /** The task and its family, from the key. */
  public TaskRef ref() {
    return TaskRef.parse(id);
  }

  /** The API family the task belongs to. */
  public Family family() {
    return ref().family();
  }

  /** The id the task's own API knows it by: the key without its family's prefix. */
  public String taskId() {
    return ref().id();
  }

  /**
   * True if the task is known not to be running any more: {@link Outcome#STOPPED} or {@link
   * Outcome#ALREADY_DONE}.
   */
  public boolean confirmed() {
    return outcome.isConfirmed();
  }
}
