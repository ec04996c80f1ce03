package dev.lastcall.agent.journal;

import dev.lastcall.CancelReport;
import dev.lastcall.agent.report.OutcomeCounts;

/** The sweep's one line for a human. */
public final class SweepSummary {
  private SweepSummary() {}

  /**
   * For example {@code swept 2 journals of stopped JVMs in /var/lib/lastcall: 40 tasks in 312 ms
   * (deadline 10000 ms): 40 stopped, 0 already done, ...; 0 left for the next sweep; 1 journal in
   * use left alone}.
   */
  public static String render(SweepResult result) {
    StringBuilder line = new StringBuilder(200);
    CancelReport report = result.report();
    if (result.journalsSwept() == 0) {
      line.append("no journals of stopped JVMs in ").append(result.dir());
    } else {
      line.append("swept ")
          .append(plural(result.journalsSwept(), "journal"))
          .append(" of stopped JVMs in ")
          .append(result.dir())
          .append(": ")
          .append(plural(report.tasks().size(), "task"))
          .append(" in ")
          .append(report.duration().toMillis())
          .append(" ms (deadline ")
          .append(report.deadline().toMillis())
          .append(" ms)");
      if (!report.tasks().isEmpty()) {
        line.append(": ").append(OutcomeCounts.of(report).render());
      }
      line.append("; ").append(result.tasksLeft()).append(" left for the next sweep");
    }
    if (result.journalsInUse() > 0) {
      line.append("; ")
          .append(plural(result.journalsInUse(), "journal"))
          .append(" in use (by a running JVM or another sweep) left alone");
    }
    return line.toString();
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
