package dev.lastcall.agent.cli;

import static dev.lastcall.internal.Quoting.quote;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.agent.journal.JournalSweeper;
import dev.lastcall.agent.journal.Journals;
import dev.lastcall.agent.journal.SweepResult;
import dev.lastcall.agent.journal.SweepSummary;
import dev.lastcall.client.TasksClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code sweep --watch [--every D]}: sweeps again and again (every {@code D}, by default half of
 * {@code leaseTtl}) as a long-running process, for a Kubernetes Deployment or a sidecar. Prints a
 * line when a sweep found something or failed (once per outage), nothing for an empty sweep. On
 * SIGTERM it finishes the sweep under way (its cancel is bounded by {@code timeout}), so no claim
 * is left held, and exits.
 */
final class SweepWatchCommand {
  private SweepWatchCommand() {}

  static void checkEvery(CliArguments.SweepWatch watch) throws UsageException {
    if (watch.every() != null) {
      try {
        ConfigLoader.parseInterval(watch.every());
      } catch (IllegalArgumentException e) {
        throw new UsageException("invalid --every " + quote(watch.every()) + ": " + e.getMessage());
      }
    }
  }

  static int run(
      AgentConfig config,
      CliArguments.SweepWatch watch,
      TasksClient client,
      PrintStream out,
      PrintStream err) {
    Duration every =
        watch.every() != null
            ? ConfigLoader.parseInterval(watch.every())
            : config.leaseTtl().dividedBy(2);
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    long bound = config.timeout().toMillis() + 5_000; // one sweep's cancel and its calls
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await(bound, TimeUnit.MILLISECONDS);
              } catch (InterruptedException ignored) {
                // exiting anyway
              }
            },
            "lastcall-sweep-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(
        "lastcall: sweeping "
            + config.journal().orElseThrow()
            + " every "
            + every.toMillis()
            + " ms until stopped (SIGTERM)");
    out.flush();
    boolean failing = false;
    try (JournalSweeper sweeper = Journals.sweeper(config)) {
      do {
        try {
          SweepResult result = sweeper.sweep(ids -> client.cancelAll(ids, config.timeout()));
          if (result.journalsSwept() > 0) {
            out.println(SweepSummary.render(result));
            out.flush();
          }
          result.notes().forEach(note -> err.println("lastcall: " + note));
          failing = false;
        } catch (Exception e) {
          if (!failing) {
            err.println(
                "lastcall: could not sweep "
                    + config.journal().orElseThrow()
                    + " ("
                    + e.getMessage()
                    + "); trying again every "
                    + every.toMillis()
                    + " ms");
          }
          failing = true;
        }
      } while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS));
      out.println("lastcall: sweep --watch stopped");
      out.flush();
      return ExitCode.OK;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      err.println("lastcall: sweep --watch ended: " + e.getMessage());
      return ExitCode.NOT_ALL_CONFIRMED;
    } finally {
      stopped.countDown();
    }
  }
}
