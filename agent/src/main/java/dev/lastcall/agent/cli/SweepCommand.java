package dev.lastcall.agent.cli;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.journal.JournalSweep;
import dev.lastcall.agent.journal.SweepResult;
import dev.lastcall.agent.journal.SweepSummary;
import dev.lastcall.client.TasksClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code sweep --journal DIR}: what an agent does at start, on demand, for instance from a cron job
 * or after a machine's reboot, when no JVM may ever start again with that journal directory.
 */
final class SweepCommand {
  private SweepCommand() {}

  static int run(AgentConfig config, TasksClient client, PrintStream out, PrintStream err) {
    Path dir = config.journal().orElseThrow();
    SweepResult result;
    try {
      result = JournalSweep.run(dir, null, ids -> client.cancelAll(ids, config.timeout()));
    } catch (IOException e) {
      err.println("lastcall: could not list the journal directory " + dir + ": " + e);
      return ExitCode.NOT_ALL_CONFIRMED;
    }
    out.println(SweepSummary.render(result));
    result.notes().forEach(note -> err.println("lastcall: " + note));
    boolean written = CliReport.writeIfAsked(config, result.report(), err);
    int code = ExitCode.of(result.report(), result.clean());
    return code == ExitCode.OK && !written ? ExitCode.NOT_ALL_CONFIRMED : code;
  }

  /**
   * The journal directory must be named and exist: a mistyped path must not look like a clean
   * sweep.
   */
  static void checkJournal(AgentConfig config) throws UsageException {
    Path dir =
        config
            .journal()
            .orElseThrow(
                () ->
                    new UsageException(
                        "sweep needs the journal directory, as: sweep --journal DIR (or"
                            + " lastcall.journal / LASTCALL_JOURNAL)"));
    if (!Files.isDirectory(dir)) {
      throw new UsageException(
          "--journal "
              + dir
              + " is not a directory; expected the directory given to"
              + " the agent as journal=DIR");
    }
  }
}
