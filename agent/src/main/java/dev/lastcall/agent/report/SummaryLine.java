package dev.lastcall.agent.report;

import dev.lastcall.CancelReport;
import dev.lastcall.TaskOutcome;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

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

  /**
   * The line with, when not every task was registered through the api, how they were found: {@code
   * ...; found: 2 api, 3 joined, 1 tracking} (the words of the report's {@code found} field).
   */
  public static String render(CancelReport report, Function<String, String> found) {
    String line = render(report);
    Map<String, Integer> counts = new TreeMap<>();
    for (TaskOutcome task : report.tasks()) {
      String how = found.apply(task.id());
      if (how != null) {
        counts.merge(how, 1, Integer::sum);
      }
    }
    if (counts.isEmpty() || counts.keySet().equals(java.util.Set.of("api"))) {
      return line;
    }
    StringBuilder out = new StringBuilder(line).append("; found:");
    String separator = " ";
    for (Map.Entry<String, Integer> count : counts.entrySet()) {
      out.append(separator).append(count.getValue()).append(' ').append(count.getKey());
      separator = ", ";
    }
    return out.toString();
  }
}
