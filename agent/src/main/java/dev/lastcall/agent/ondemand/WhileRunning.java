package dev.lastcall.agent.ondemand;

import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.limits.TimeLimits;
import dev.lastcall.agent.registry.SharedRegistry;

/**
 * What the agent does for the application while it runs, before any shutdown: cancel on demand
 * ({@link OnDemandCancel}) and time limits ({@link TimeLimits}). Three entry points, each one line
 * in the agent's existing start-up path, none of which ever throws:
 *
 * <ol>
 *   <li>{@link #install} from premain: cancel on demand becomes available at once, waiting for the
 *       client;
 *   <li>{@link #clientReady} from the preparation thread once the client is built: waiting calls go
 *       ahead and time limits start;
 *   <li>{@link #clientUnavailable} from the preparation thread when there will be no client.
 * </ol>
 *
 * A later {@code install} or {@code clientReady} for another configuration replaces what runs
 * (tests prepare several times in one JVM).
 */
public final class WhileRunning {
  private static final Object LOCK = new Object();
  private static OnDemandCancel onDemand; // guarded by LOCK
  private static SharedRegistry bridge; // guarded by LOCK
  private static TimeLimits limits; // guarded by LOCK
  private static boolean problemReported; // guarded by LOCK
  private static final Runnable NOTHING =
      new Runnable() {
        @Override
        public void run() {}
      };
  private static Runnable startPreparation = NOTHING; // guarded by LOCK

  private WhileRunning() {}

  /**
   * From premain: installs cancel on demand, which waits for the client until {@link #clientReady}.
   */
  public static void install(AgentConfig config) {
    install(config, NOTHING);
  }

  /**
   * From premain: as {@link #install(AgentConfig)}, and a cancel on demand that has to wait for the
   * client first runs {@code startPreparation} (the agent prepares its client lazily).
   */
  public static void install(AgentConfig config, Runnable startPreparation) {
    try {
      synchronized (LOCK) {
        WhileRunning.startPreparation = startPreparation;
        installLocked(config);
      }
    } catch (Throwable t) {
      report(t);
    }
  }

  /**
   * From the preparation thread, once the client exists: releases waiting calls and starts time
   * limits.
   */
  public static void clientReady(AgentConfig config, CancelStarter starter) {
    try {
      synchronized (LOCK) {
        if (onDemand == null || onDemand.settled()) {
          installLocked(config);
        }
        onDemand.ready(starter);
        stopLimits();
        limits =
            TimeLimits.start(bridge, starter, config.timeout(), config.maxRuntime().orElse(null));
      }
    } catch (Throwable t) {
      report(t);
    }
  }

  /**
   * From the preparation thread when no client can be built: calls report FAILED with {@code why}.
   */
  public static void clientUnavailable(AgentConfig config, String why) {
    try {
      synchronized (LOCK) {
        if (onDemand == null || onDemand.settled()) {
          installLocked(config);
        }
        onDemand.unavailable(why);
        stopLimits();
      }
      if (config.maxRuntime().isPresent()) {
        AgentLog.line("maxRuntime is set but time limits cannot be enforced: " + why);
      }
    } catch (Throwable t) {
      report(t);
    }
  }

  /** Stops time limits and removes cancel on demand (for tests). */
  public static void stop() {
    synchronized (LOCK) {
      stopLimits();
      if (onDemand != null) {
        bridge.uninstallCanceller(onDemand);
        onDemand = null;
      }
    }
  }

  private static void installLocked(AgentConfig config) {
    SharedRegistry connected = SharedRegistry.connect();
    OnDemandCancel fresh = new OnDemandCancel(config.timeout(), connected, startPreparation);
    connected.installCanceller(fresh);
    bridge = connected;
    onDemand = fresh;
  }

  private static void stopLimits() {
    if (limits != null) {
      limits.close();
      limits = null;
    }
  }

  private static void report(Throwable t) {
    synchronized (LOCK) {
      if (problemReported) {
        return;
      }
      problemReported = true;
    }
    AgentLog.line(
        "time limits and cancel on demand are off, the rest of the agent works: "
            + (t instanceof IllegalStateException ? t.getMessage() : t.toString()));
  }
}
