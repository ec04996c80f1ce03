package dev.lastcall.agent.journal;

import dev.lastcall.CancelReport;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.events.JfrEvents;
import dev.lastcall.agent.jmx.LastResults;
import dev.lastcall.agent.report.OutcomeCounts;

/** The sweep's one line for a human. */
public final class SweepSummary {
  private SweepSummary() {}

  /**
   * Tells what a sweep by a running agent did: its JFR event (when a recording runs), its summary
   * line when it swept something, and its notes, each one line on stderr.
   */
  public static void announce(SweepResult result) {
    JfrEvents.sweep(result);
    LastResults.sweep(result);
    if (result.journalsSwept() > 0) {
      AgentLog.line(render(result));
    }
    result.notes().forEach(AgentLog::line);
  }

  /**
   * For example {@code swept 2 journals of stopped JVMs in /var/lib/lastcall: 40 tasks in 312 ms
   * (deadline 10000 ms): 40 stopped, 0 already done, ...; 0 left for the next sweep; 1 journal in
   * use left alone}.
   */
  public static String render(SweepResult result) {
    StringBuilder line = new StringBuilder(200);
    CancelReport report = result.report();
    if (result.journalsSwept() == 0) {
      line.append("no journals of stopped JVMs in ").append(result.where());
    } else {
      line.append("swept ")
          .append(journals(result.journalsSwept()))
          .append(" of stopped JVMs in ")
          .append(result.where())
          .append(": ")
          .append(OutcomeCounts.tasks(report.tasks().size()))
          .append(" in ")
          .append(OutcomeCounts.took(report));
      if (!report.tasks().isEmpty()) {
        line.append(": ").append(OutcomeCounts.of(report).render());
      }
      line.append("; ").append(result.tasksLeft()).append(" left for the next sweep");
    }
    if (result.journalsInUse() > 0) {
      line.append("; ")
          .append(journals(result.journalsInUse()))
          .append(" in use (by a running JVM or another sweep) left alone");
    }
    return line.toString();
  }

  private static String journals(int n) {
    return n == 1 ? "1 journal" : n + " journals";
  }
}
