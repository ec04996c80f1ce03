package dev.lastcall.agent.shutdown;

import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.config.AgentConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's shutdown hook, split in two so that neither the application's thread nor the hook's
 * does the slow part: {@link #preparationThread()} builds the client and loads every class the
 * cancel needs, in the background, right after premain; {@link #hookThread()} only runs it.
 *
 * <p>This class deliberately mentions no client type: premain loads it, and premain must not pull
 * OkHttp or Jackson onto the application's thread.
 */
public final class ShutdownCanceller {
  private final AgentConfig config;
  private final CompletableFuture<Object> prepared = new CompletableFuture<>();

  public ShutdownCanceller(AgentConfig config) {
    this.config = config;
  }

  /** A daemon thread that prepares the cancel. Start it once. */
  public Thread preparationThread() {
    Thread thread = new Thread(new Step(true), "lastcall-prepare");
    thread.setDaemon(true);
    return thread;
  }

  /** The thread to register with {@link Runtime#addShutdownHook}. */
  public Thread hookThread() {
    return new Thread(new Step(false), "lastcall-shutdown");
  }

  /** The two thread bodies, as a plain class: premain should not spin up lambdas on the app's thread. */
  private final class Step implements Runnable {
    private final boolean preparing;

    Step(boolean preparing) {
      this.preparing = preparing;
    }

    @Override
    public void run() {
      if (preparing) {
        prepare();
      } else {
        onShutdown();
      }
    }
  }

  private void prepare() {
    Object run;
    try {
      run = ShutdownRun.prepare(config);
    } catch (Throwable t) {
      run = "the agent could not prepare its client: " + t;
    }
    // Usable from here on: a hook that starts now need not wait for the warm-up below.
    prepared.complete(run);
    if (run instanceof ShutdownRun) {
      try {
        ((ShutdownRun) run).warmUp();
      } catch (Throwable t) {
        // Warming up only saves the hook time; the hook works without it.
      }
    }
  }

  private void onShutdown() {
    long start = System.nanoTime();
    long deadline = start + config.timeout().toNanos();
    try {
      if (!prepared.isDone() && ShutdownRun.nothingRegistered()) {
        // Nothing to cancel: do not wait for a client that would have nothing to do.
        ShutdownRun.withoutClient(config, "nothing was registered", false).run(start, deadline);
        return;
      }
      Object ready;
      try {
        ready = prepared.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        ShutdownRun.withoutClient(config, "the agent was still starting when the deadline came", true)
            .run(start, deadline);
        return;
      } catch (ExecutionException e) {
        ready = "the agent could not prepare its client: " + e.getCause();
      }
      if (ready instanceof ShutdownRun) {
        ((ShutdownRun) ready).run(start, deadline);
      } else {
        ShutdownRun.withoutClient(config, String.valueOf(ready), false).run(start, deadline);
      }
    } catch (InterruptedException e) {
      AgentLog.line("shutdown cancel interrupted");
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      // Never let a failure of ours become the application's.
      AgentLog.line("shutdown cancel failed: " + t);
    }
  }
}
