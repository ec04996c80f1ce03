package dev.lastcall;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a bulk cancel did: one {@link TaskOutcome} per distinct task id, in submission order.
 * Immutable.
 */
public final class CancelReport {
  private final Duration deadline;
  private final Duration duration;
  private final List<TaskOutcome> tasks;
  private final Map<Outcome, Integer> counts;

  private CancelReport(Duration deadline, Duration duration, List<TaskOutcome> tasks) {
    this.deadline = deadline;
    this.duration = duration;
    this.tasks = tasks;
    EnumMap<Outcome, Integer> byOutcome = new EnumMap<>(Outcome.class);
    for (Outcome outcome : Outcome.values()) {
      byOutcome.put(outcome, 0);
    }
    for (TaskOutcome task : tasks) {
      byOutcome.merge(task.outcome(), 1, Integer::sum);
    }
    this.counts = Collections.unmodifiableMap(new LinkedHashMap<>(byOutcome));
  }

  /**
   * Makes a report. Used by the client; public so that code which formats or acts on reports can be
   * tested with reports of its own.
   *
   * @throws IllegalArgumentException if a duration is negative or an id appears twice
   */
  public static CancelReport of(Duration deadline, Duration duration, List<TaskOutcome> tasks) {
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(duration, "duration");
    if (deadline.isNegative() || duration.isNegative()) {
      throw new IllegalArgumentException("deadline and duration must not be negative");
    }
    List<TaskOutcome> copy = List.copyOf(tasks);
    if (copy.stream().map(TaskOutcome::id).distinct().count() != copy.size()) {
      throw new IllegalArgumentException("a report has one entry per distinct task id");
    }
    return new CancelReport(deadline, duration, copy);
  }

  /** The time the cancel was allowed. */
  public Duration deadline() {
    return deadline;
  }

  /** The time from the start of the cancel until the report was made. */
  public Duration duration() {
    return duration;
  }

  /** One entry per distinct task id, in submission order. */
  public List<TaskOutcome> tasks() {
    return tasks;
  }

  /**
   * How many tasks had each outcome: every {@link Outcome} is a key (zero included), in enum order.
   */
  public Map<Outcome, Integer> counts() {
    return counts;
  }

  /** How many tasks had {@code outcome}. */
  public int count(Outcome outcome) {
    return counts.get(Objects.requireNonNull(outcome, "outcome"));
  }

  /**
   * True if every task is {@link Outcome#STOPPED} or {@link Outcome#ALREADY_DONE} (vacuously true
   * for none).
   */
  public boolean allConfirmed() {
    return count(Outcome.STOPPED) + count(Outcome.ALREADY_DONE) == tasks.size();
  }

  /** A one-line summary: the counts and the time taken. Lists no ids. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("CancelReport{tasks=").append(tasks.size());
    counts.forEach((outcome, count) -> out.append(", ").append(outcome).append('=').append(count));
    return out.append(", duration=")
        .append(duration.toMillis())
        .append("ms")
        .append(", deadline=")
        .append(deadline.toMillis())
        .append("ms}")
        .toString();
  }
}
