package dev.lastcall.agent.cli;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.JournalLocation;
import dev.lastcall.agent.journal.JournalSweeper;
import dev.lastcall.agent.journal.Journals;
import dev.lastcall.agent.journal.SweepResult;
import dev.lastcall.agent.journal.SweepSummary;
import dev.lastcall.client.TasksClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code sweep --journal DIR|redis://...}: what an agent does at start, on demand, for instance
 * from a cron job or after a machine's reboot, when no JVM may ever start again with that journal.
 */
final class SweepCommand {
  private SweepCommand() {}

  static int run(AgentConfig config, TasksClient client, PrintStream out, PrintStream err) {
    JournalLocation journal = config.journal().orElseThrow();
    SweepResult result;
    try (JournalSweeper sweeper = Journals.sweeper(config)) {
      result = sweeper.sweep(ids -> client.cancelAll(ids, config.timeout()));
    } catch (IOException e) {
      err.println(
          "lastcall: could not "
              + (journal.directory().isPresent() ? "list the journal directory " : "sweep ")
              + journal
              + ": "
              + e.getMessage());
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
    JournalLocation journal =
        config
            .journal()
            .orElseThrow(
                () ->
                    new UsageException(
                        "sweep needs the journal, as: sweep --journal DIR or --journal"
                            + " redis://host:port (or lastcall.journal / LASTCALL_JOURNAL)"));
    Path dir = journal.directory().orElse(null);
    if (dir != null && !Files.isDirectory(dir)) {
      throw new UsageException(
          "--journal "
              + dir
              + " is not a directory; expected the directory given to"
              + " the agent as journal=DIR");
    }
  }
}
