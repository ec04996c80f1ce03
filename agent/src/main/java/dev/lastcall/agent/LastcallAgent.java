package dev.lastcall.agent;

import dev.lastcall.agent.attach.AttachProtocol;
import dev.lastcall.agent.attach.AttachedStart;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.agent.config.ConfigProblem;
import dev.lastcall.agent.runtime.AgentRuntime;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Entry point of {@code -javaagent:lastcall-agent.jar[=key=value,...]}.
 *
 * <p>premain does as little as the job allows on the application's thread: it reads the
 * configuration (string work only: no network, no DNS, no OkHttp or Jackson class) and hands it to
 * {@link AgentRuntime#install}, which registers one shutdown hook and leaves the client to a daemon
 * thread. It never throws into the application: any failure is one line on stderr and the
 * application runs on without us.
 */
public final class LastcallAgent {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private LastcallAgent() {}

  /** Called by the JVM for {@code -javaagent}. */
  public static void premain(String args, Instrumentation instrumentation) {
    start(args, instrumentation, false);
  }

  /** Called by the JVM when the agent is attached to a running JVM. */
  public static void agentmain(String args, Instrumentation instrumentation) {
    start(args, instrumentation, true);
  }

  static void start(String args, Instrumentation instrumentation, boolean attached) {
    try {
      if (!STARTED.compareAndSet(false, true)) {
        AgentLog.line("agent attached more than once; the second attachment is ignored");
        return;
      }
      // Tells `attach` that the agent is here before it loads it again (AttachProtocol).
      System.setProperty(AttachProtocol.LOADED, attached ? "attach" : "premain");
      if (attached) {
        AttachedStart.start(args, instrumentation);
        return;
      }
      AgentConfig config =
          ConfigLoader.load(
              args, System.getProperties(), System.getenv(), ConfigProblem.asLines(AgentLog.LINES));
      AgentRuntime.install(config, instrumentation);
    } catch (Throwable t) {
      AgentLog.line("failed to start, the application continues without it: " + t);
    }
  }
}
