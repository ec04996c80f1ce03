package dev.lastcall.agent.report;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import java.util.Locale;
import java.util.Map;

/**
 * How many tasks ended with each outcome, in the words every line for a human uses (the shutdown
 * summary, the sweep, the command line, time limits): {@code 300 stopped, 0 already done, 0 not
 * found, 0 unauthorized, 0 failed, 0 timed out}.
 */
public final class OutcomeCounts {
  private final Map<Outcome, Integer> counts;

  private OutcomeCounts(Map<Outcome, Integer> counts) {
    this.counts = counts;
  }

  /** The counts of {@code report}, every outcome included. */
  public static OutcomeCounts of(CancelReport report) {
    return new OutcomeCounts(report.counts());
  }

  /** {@code "1 task"} or {@code "n tasks"}: how every line for a human counts tasks. */
  public static String tasks(int n) {
    return n == 1 ? "1 task" : n + " tasks";
  }

  /**
   * {@code "412 ms (deadline 10000 ms)"}: how every line for a human says how long a cancel took.
   */
  public static String took(CancelReport report) {
    return report.duration().toMillis() + " ms (deadline " + report.deadline().toMillis() + " ms)";
  }

  /** How many tasks ended with {@code outcome}. */
  public int count(Outcome outcome) {
    return counts.get(outcome);
  }

  /** Every outcome in declaration order, zeros included, so lines line up from run to run. */
  public String render() {
    StringBuilder out = new StringBuilder(96);
    for (Map.Entry<Outcome, Integer> count : counts.entrySet()) {
      out.append(out.length() == 0 ? "" : ", ")
          .append(count.getValue())
          .append(' ')
          .append(count.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return render();
  }
}
