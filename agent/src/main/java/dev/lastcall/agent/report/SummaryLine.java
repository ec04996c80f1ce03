package dev.lastcall.agent.report;

import dev.lastcall.CancelReport;

/** The one line the agent prints at shutdown, for a human reading the process's stderr. */
public final class SummaryLine {
  private SummaryLine() {}

  /**
   * For example {@code 300 tasks at shutdown, handled in 412 ms (deadline 10000 ms): 300 stopped, 0
   * already done, 0 not found, 0 unauthorized, 0 failed, 0 timed out}.
   */
  public static String render(CancelReport report) {
    int total = report.tasks().size();
    if (total == 0) {
      return "no registered tasks at shutdown (" + report.duration().toMillis() + " ms)";
    }
    return OutcomeCounts.tasks(total)
        + " at shutdown, handled in "
        + OutcomeCounts.took(report)
        + ": "
        + OutcomeCounts.of(report).render();
  }
}
