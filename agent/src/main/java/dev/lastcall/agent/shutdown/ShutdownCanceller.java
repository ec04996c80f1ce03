package dev.lastcall.agent.shutdown;

import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.Handoff;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.registry.SharedRegistry;

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
  private final Handoff<Object> prepared = new Handoff<>();
  private final java.util.concurrent.atomic.AtomicBoolean preparationStarted =
      new java.util.concurrent.atomic.AtomicBoolean();

  public ShutdownCanceller(AgentConfig config) {
    this.config = config;
  }

  /**
   * Starts the daemon thread that prepares the cancel (builds and warms the client), once; later
   * calls do nothing. Cheap enough to call from a registering thread.
   */
  public void startPreparation() {
    if (preparationStarted.compareAndSet(false, true)) {
      Thread thread = new Thread(new Prepare(), "lastcall-prepare");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /**
   * Prepares the client only once there is something it may have to cancel: at the first
   * registration. A JVM that never registers a task never loads OkHttp or Jackson, and the agent
   * costs it no more than premain. Starts at once if tasks are already registered (the agent was
   * attached to a running JVM) or if registrations cannot be observed (an older api).
   */
  public void startPreparationOnFirstRegistration() {
    SharedRegistry feed = SharedRegistry.connect();
    if (!feed.canListen()) {
      startPreparation();
      return;
    }
    feed.onRegistration(new StartPreparation());
    if (!feed.isEmpty()) {
      startPreparation();
    }
  }

  /** Starts the preparation; for callers that need the client, such as cancel on demand. */
  public Runnable preparationStarter() {
    return new StartPreparation();
  }

  /** Starts the preparation: as a registration listener, or for whoever else needs the client. */
  private final class StartPreparation implements Runnable, java.util.function.Consumer<String> {
    @Override
    public void run() {
      startPreparation();
    }

    @Override
    public void accept(String registeredId) {
      startPreparation();
    }
  }

  /** The thread to register with {@link Runtime#addShutdownHook}. */
  public Thread hookThread() {
    return new Thread(new OnShutdown(), "lastcall-shutdown");
  }

  // The thread bodies are small classes, not lambdas: premain should spin up no lambda on the app's
  // thread.
  private final class Prepare implements Runnable {
    @Override
    public void run() {
      prepare();
    }
  }

  private final class OnShutdown implements Runnable {
    @Override
    public void run() {
      onShutdown();
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
      startPreparation(); // normally long started, by the first registration
      Object ready = prepared.await(deadline - System.nanoTime());
      if (ready == null) {
        ShutdownRun.withoutClient(
                config, "the agent was still starting when the deadline came", true)
            .run(start, deadline);
        return;
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
