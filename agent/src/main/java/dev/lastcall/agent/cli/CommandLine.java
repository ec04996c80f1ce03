package dev.lastcall.agent.cli;

import dev.lastcall.agent.client.ClientFactory;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ApiKeys;
import dev.lastcall.client.TasksClient;
import dev.lastcall.internal.Quoting;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Runs one command line and returns its exit code; prints results to {@code out}, problems to
 * {@code err}.
 */
public final class CommandLine {
  private CommandLine() {}

  public static int run(
      String[] args, Properties system, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      CliArguments arguments = CliArguments.parse(args);
      switch (arguments.command()) {
        case "help":
          out.print(Usage.text());
          return ExitCode.OK;
        case "version":
          out.println(Usage.version());
          return ExitCode.OK;
        case "tasks":
          // Reads the target's own JMX bean: no configuration, no key.
          return TasksCommand.run(arguments, out, err);
        default:
          return runCommand(arguments, system, env, out, err);
      }
    } catch (UsageException e) {
      err.println("lastcall: " + e.getMessage());
      return ExitCode.USAGE;
    }
  }

  private static int runCommand(
      CliArguments arguments,
      Properties system,
      Map<String, String> env,
      PrintStream out,
      PrintStream err)
      throws UsageException {
    AgentConfig config =
        CliConfig.load(arguments, system, env, warning -> err.println("lastcall: " + warning));
    if (arguments.command().equals("attach")) {
      // The options (checked just now) go to the agent; the target reads its own properties and
      // environment for the rest, so this process's are not passed on.
      return AttachCommand.run(arguments, env, out, err);
    }
    List<String> ids = List.of();
    if (arguments.command().equals("sweep")) {
      if (!arguments.operands().isEmpty()) {
        throw new UsageException(
            "sweep takes no task ids (got "
                + Quoting.quote(arguments.operands().get(0))
                + "); it cancels what the journals in --journal DIR list");
      }
      SweepCommand.checkJournal(config);
      if (arguments.watch() != null) {
        SweepWatchCommand.checkEvery(arguments.watch());
      }
    } else {
      ids = TaskIdOperands.require(arguments.command(), arguments.operands());
    }
    TasksClient client;
    try {
      client =
          ClientFactory.open(
              config,
              env,
              arguments.command().equals("status")
                  ? "task statuses cannot be read without it"
                  : "tasks cannot be cancelled without it");
    } catch (ApiKeys.MissingApiKeyException e) {
      err.println("lastcall: " + e.getMessage());
      return ExitCode.NO_KEY_OR_UNAUTHORIZED;
    }
    try {
      switch (arguments.command()) {
        case "cancel":
          return CancelCommand.run(config, ids, client, out, err);
        case "status":
          return StatusCommand.run(ids, client, out, err);
        default:
          return arguments.watch() == null
              ? SweepCommand.run(config, client, out, err)
              : SweepWatchCommand.run(config, arguments.watch(), client, out, err);
      }
    } finally {
      client.close();
    }
  }
}
