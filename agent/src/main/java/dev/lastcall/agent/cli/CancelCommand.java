package dev.lastcall.agent.cli;

import dev.lastcall.CancelReport;
import dev.lastcall.TaskOutcome;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.report.OutcomeCounts;
import dev.lastcall.client.TasksClient;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code cancel ID...}: stops the tasks now, in parallel, within {@code timeout}, exactly as the
 * agent does at shutdown (a 400 is checked against the status, never taken as proof), and prints
 * one {@link TaskLine} per task and a summary.
 */
final class CancelCommand {
  private CancelCommand() {}

  static int run(
      AgentConfig config, List<String> ids, TasksClient client, PrintStream out, PrintStream err) {
    CancelReport report = client.cancelAll(ids, config.timeout());
    for (TaskOutcome task : report.tasks()) {
      out.println(
          TaskLine.render(
              task.id(),
              task.outcome().name(),
              task.detail()
                  + " ("
                  + task.attempts()
                  + (task.attempts() == 1 ? " request, " : " requests, ")
                  + task.elapsed().toMillis()
                  + " ms)"));
    }
    out.println(
        "cancelled "
            + OutcomeCounts.tasks(report.tasks().size())
            + " in "
            + OutcomeCounts.took(report)
            + ": "
            + OutcomeCounts.of(report).render());
    boolean written = CliReport.writeIfAsked(config, report, err);
    int code = ExitCode.of(report, report.allConfirmed());
    return code == ExitCode.OK && !written ? ExitCode.NOT_ALL_CONFIRMED : code;
  }
}
