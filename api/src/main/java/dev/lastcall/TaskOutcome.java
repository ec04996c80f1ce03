package dev.lastcall;

import java.time.Duration;
import java.util.Objects;

/**
 * What became of one task in a bulk cancel.
 *
 * @param id the task id
 * @param outcome what became of it
 * @param attempts HTTP requests made for this task: stop requests and status checks together
 * @param elapsed time from submission until the outcome was known
 * @param detail a short reason in words plus the HTTP code, for example {@code "stopped"}, {@code
 *     "status completed"}, {@code "HTTP 404 Task not found"}, {@code "gave up: HTTP 403"} or {@code
 *     "deadline reached: last answer HTTP 500"}; never contains the API key
 */
public record TaskOutcome(
    String id, Outcome outcome, int attempts, Duration elapsed, String detail) {
  public TaskOutcome {
    TaskIds.requireValid(id);
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(detail, "detail");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0 but was " + attempts);
    }
    if (elapsed.isNegative()) {
      throw new IllegalArgumentException("elapsed must not be negative but was " + elapsed);
    }
  }

  /**
   * True if the task is known not to be running any more: {@link Outcome#STOPPED} or {@link
   * Outcome#ALREADY_DONE}.
   */
  public boolean confirmed() {
    return outcome.isConfirmed();
  }
}
