package dev.lastcall.agent;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.agent.config.ConfigProblem;
import dev.lastcall.agent.journal.AgentJournal;
import dev.lastcall.agent.ondemand.WhileRunning;
import dev.lastcall.agent.shutdown.ShutdownCanceller;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Entry point of {@code -javaagent:lastcall-agent.jar[=key=value,...]}.
 *
 * <p>premain does as little as the job allows on the application's thread: it reads the
 * configuration (string work only: no network, no DNS, no OkHttp or Jackson class), registers one
 * shutdown hook and starts one daemon thread that prepares the client. It never throws into the
 * application: any failure is one line on stderr and the application runs on without us.
 */
public final class LastcallAgent {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private LastcallAgent() {}

  /** Called by the JVM for {@code -javaagent}. */
  public static void premain(String args, Instrumentation instrumentation) {
    start(args);
  }

  /** Called by the JVM when the agent is attached to a running JVM. */
  public static void agentmain(String args, Instrumentation instrumentation) {
    start(args);
  }

  static void start(String args) {
    try {
      if (!STARTED.compareAndSet(false, true)) {
        AgentLog.line("agent attached more than once; the second attachment is ignored");
        return;
      }
      AgentConfig config =
          ConfigLoader.load(
              args, System.getProperties(), System.getenv(), ConfigProblem.asLines(AgentLog.LINES));
      if (!config.enabled()) {
        // Either asked for, or already explained by the configuration's own line.
        return;
      }
      // Before main runs, so that every registration is on disk before register returns
      // (journal=DIR).
      AgentJournal.start(config);
      ShutdownCanceller canceller = new ShutdownCanceller(config);
      Runtime.getRuntime().addShutdownHook(canceller.hookThread());
      // Cancel on demand is there before main runs; it starts the preparation if nothing has yet.
      WhileRunning.install(config, canceller.preparationStarter());
      if (config.journal().isPresent()) {
        canceller.startPreparation(); // the sweep of dead journals needs the client now
      } else {
        canceller.startPreparationOnFirstRegistration();
      }
    } catch (Throwable t) {
      AgentLog.line("failed to start, the application continues without it: " + t);
    }
  }
}
