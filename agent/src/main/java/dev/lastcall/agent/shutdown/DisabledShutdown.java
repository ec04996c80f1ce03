package dev.lastcall.agent.shutdown;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.report.OutcomeCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The shutdown hook of an agent that a refused value disabled ({@link
 * AgentConfig#disabledBecause()}, e.g. an invalid {@code baseUrl}): it cancels nothing, but does
 * not leave registered tasks running in silence either. With tasks registered it prints one line
 * naming how many it leaves running and why, and writes the report, if one is configured, with
 * every task {@link Outcome#FAILED} and that reason. With nothing registered it says nothing.
 *
 * <p>premain makes it, so it is a class rather than a lambda, and it loads nothing of the client.
 */
public final class DisabledShutdown implements Runnable {
  private final AgentConfig config;
  private final SharedRegistry registry;

  public DisabledShutdown(AgentConfig config, SharedRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public void run() {
    try {
      long start = System.nanoTime();
      Set<String> registered = registry.snapshot();
      if (registered.isEmpty()) {
        return;
      }
      String why = config.disabledBecause().orElseThrow();
      String detail = "not cancelled, the agent is disabled: " + why;
      List<TaskOutcome> tasks = new ArrayList<>(registered.size());
      for (String id : registered) {
        tasks.add(new TaskOutcome(id, Outcome.FAILED, 0, Duration.ZERO, detail));
      }
      AgentLog.line(
          "the agent is disabled and leaves "
              + OutcomeCounts.tasks(tasks.size())
              + " registered at shutdown running: "
              + why);
      ShutdownReport.writeIfConfigured(
          config,
          CancelReport.of(config.timeout(), Duration.ofNanos(System.nanoTime() - start), tasks));
    } catch (Throwable t) {
      // Never let a failure of ours become the application's.
      AgentLog.line("shutdown report failed: " + t);
    }
  }
}
