package dev.lastcall.agent.report;

import dev.lastcall.client.cancel.CancelReport;
import dev.lastcall.client.cancel.Outcome;
import dev.lastcall.client.cancel.TaskOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the shutdown hook did, as reported: one entry per task that was registered at any moment
 * of the hook, including any the cancel never reached.
 */
public final class ShutdownReport {
  private final Duration deadline;
  private final Duration duration;
  private final List<TaskOutcome> tasks;
  private final Map<Outcome, Integer> counts;

  public ShutdownReport(Duration deadline, Duration duration, List<TaskOutcome> tasks) {
    this.deadline = deadline;
    this.duration = duration;
    this.tasks = Collections.unmodifiableList(new ArrayList<>(tasks));
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (Outcome outcome : Outcome.values()) {
      counts.put(outcome, 0);
    }
    for (TaskOutcome task : tasks) {
      counts.merge(task.outcome(), 1, Integer::sum);
    }
    this.counts = Collections.unmodifiableMap(counts);
  }

  /** The cancel's report plus tasks that appeared after it finished, reported as timed out. */
  public static ShutdownReport of(
      CancelReport cancel, Duration deadline, Duration duration, List<String> missed) {
    List<TaskOutcome> tasks = new ArrayList<>(cancel.tasks());
    for (String id : missed) {
      tasks.add(new TaskOutcome(id, Outcome.TIMED_OUT, 0, Duration.ZERO,
          "registered after the cancel had finished"));
    }
    return new ShutdownReport(deadline, duration, tasks);
  }

  public Duration deadline() {
    return deadline;
  }

  public Duration duration() {
    return duration;
  }

  public List<TaskOutcome> tasks() {
    return tasks;
  }

  /** Every outcome, zero included, in declaration order. */
  public Map<Outcome, Integer> counts() {
    return counts;
  }
}
