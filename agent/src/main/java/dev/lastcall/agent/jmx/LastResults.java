package dev.lastcall.agent.jmx;

import dev.lastcall.CancelReport;
import dev.lastcall.agent.journal.SweepResult;
import dev.lastcall.agent.report.ReportJson;

/**
 * The last report of each kind the running agent made, for the MXBean's {@code LastCancel}, {@code
 * LastSweep} and {@code LastTimeLimit}: kept as the immutable reports (a volatile write where they
 * are made) and rendered as the report file's JSON only when someone reads them. JDK and agent
 * types only: the agent's other packages call in here whether or not JMX is ever used.
 *
 * <p>The shutdown's own report is not kept: nobody can read it once the JVM is gone.
 */
public final class LastResults {
  private static volatile CancelReport lastCancel;
  private static volatile CancelReport lastSweep;
  private static volatile CancelReport lastTimeLimit;

  private LastResults() {}

  /** A cancel on demand ({@code TaskRegistry.cancel}/{@code cancelAll}, or the MXBean's). */
  public static void cancel(CancelReport report) {
    lastCancel = report;
  }

  /** A sweep of dead journals by this agent. */
  public static void sweep(SweepResult result) {
    lastSweep = result.report();
  }

  /** A batch of tasks cancelled for their time limit. */
  public static void timeLimit(CancelReport report) {
    lastTimeLimit = report;
  }

  static String lastCancelJson() {
    return json(lastCancel);
  }

  static String lastSweepJson() {
    return json(lastSweep);
  }

  static String lastTimeLimitJson() {
    return json(lastTimeLimit);
  }

  private static String json(CancelReport report) {
    return report == null ? null : ReportJson.render(report);
  }
}
