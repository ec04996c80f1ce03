package dev.lastcall.agent.events;

import dev.lastcall.CancelReport;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.journal.SweepResult;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The agent's JFR events ({@code dev.lastcall.Shutdown}, {@code TaskCancel}, {@code TimeLimit},
 * {@code Sweep}), as the rest of the agent sees them: JDK and agent types only, so that loading
 * this class (premain does) loads nothing of JFR's.
 *
 * <ol>
 *   <li>{@link #install} (premain, after the agent's shutdown hook is added): keeps the {@link
 *       Instrumentation}, nothing more.
 *   <li>{@link #arm} (the preparation thread, first thing): in a JVM with {@code jdk.jfr}, watches
 *       for a flight recorder; once there is one, the events are registered and JFR's shutdown hook
 *       is chained behind the agent's ({@link JfrRecorderWatch}, {@link JfrHookChain}).
 *   <li>{@link #shutdown}, {@link #timeLimit}, {@link #sweep}: where those reports are made; a
 *       volatile read and nothing else until a recorder exists. An event that comes while the
 *       events are being registered waits for that, bounded (the shutdown's by its deadline).
 *   <li>{@link #afterShutdown} (the agent's hook, last): runs JFR's hook, which dumps the
 *       recordings with the shutdown's events in them.
 * </ol>
 */
public final class JfrEvents {
  /** How long a time limit's or a sweep's event (background threads) waits for registration. */
  private static final long BACKGROUND_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final Object LOCK = new Object();
  private static Instrumentation instrumentation; // guarded by LOCK
  private static boolean armRequested; // guarded by LOCK
  private static boolean armed; // guarded by LOCK
  private static volatile JfrSink sink;
  private static volatile boolean watching; // jdk.jfr is there and arm() watches for a recorder
  private static volatile CountDownLatch registration; // set once armed: open when registered

  private JfrEvents() {}

  /**
   * premain's part: remembers {@code instrumentation}. Call it once the agent's shutdown hook is
   * added (JFR's hook is only ever taken over by an agent that has one). If {@link #arm} came first
   * (a journal starts the preparation at once), the arming runs on a thread of its own.
   */
  public static void install(Instrumentation instrumentation) {
    boolean armNow;
    synchronized (LOCK) {
      JfrEvents.instrumentation = instrumentation;
      armNow = armRequested && !armed;
    }
    if (armNow) {
      Thread thread = new Thread(new Arm(), "lastcall-jfr");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /**
   * Watches for a flight recorder, once, on the calling thread (never premain's): a recorder that
   * exists already is armed before this returns. Does nothing in a JVM without {@code jdk.jfr}.
   * Never throws.
   */
  public static void arm() {
    Instrumentation using;
    synchronized (LOCK) {
      armRequested = true;
      if (armed || instrumentation == null) {
        return;
      }
      armed = true;
      using = instrumentation;
    }
    try {
      if (ModuleLayer.boot().findModule("jdk.jfr").isPresent()) {
        watching = true;
        JfrRecorderWatch.watch(using);
      }
    } catch (Throwable t) {
      AgentLog.line("JFR events are off, the rest of the agent works: " + t);
    }
  }

  static void emitTo(JfrSink events) {
    sink = events;
  }

  static void registering(CountDownLatch registered) {
    registration = registered;
  }

  /**
   * The sink, or null while no recorder exists. A recorder created since {@link #arm} whose
   * listener has not run yet is armed here, so the event is not lost to that race; events still
   * being registered are waited for, at most {@code maxWaitNanos}.
   */
  private static JfrSink sink(long maxWaitNanos) {
    JfrSink events = sink;
    if (events != null || !watching) {
      return events;
    }
    Instrumentation using;
    synchronized (LOCK) {
      using = instrumentation;
    }
    JfrRecorderWatch.armIfRecorderExists(using);
    CountDownLatch registered = registration;
    if (registered != null && maxWaitNanos > 0) {
      try {
        registered.await(maxWaitNanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return sink;
  }

  /** The shutdown's report: one {@code Shutdown} event and one {@code TaskCancel} a task. */
  public static void shutdown(CancelReport report) {
    // Waits for a registration still under way only as long as the shutdown's deadline allows.
    JfrSink events = sink(report.deadline().minus(report.duration()).toNanos());
    if (events != null) {
      try {
        events.shutdown(report);
      } catch (Throwable t) {
        AgentLog.line("could not record the shutdown's JFR events: " + t);
      }
    }
  }

  /** A batch of tasks cancelled for their time limit: one {@code TimeLimit} event a task. */
  public static void timeLimit(CancelReport report) {
    JfrSink events = sink(BACKGROUND_WAIT_NANOS);
    if (events != null) {
      try {
        events.timeLimit(report);
      } catch (Throwable t) {
        AgentLog.line("could not record the time limit's JFR events: " + t);
      }
    }
  }

  /** One sweep of dead journals: one {@code Sweep} event. */
  public static void sweep(SweepResult result) {
    JfrSink events = sink(BACKGROUND_WAIT_NANOS);
    if (events != null) {
      try {
        events.sweep(result);
      } catch (Throwable t) {
        AgentLog.line("could not record the sweep's JFR event: " + t);
      }
    }
  }

  /**
   * The agent's hook, when its shutdown is over: runs JFR's hook if it was chained behind this one,
   * so the recordings are dumped with the shutdown's events. Never throws.
   */
  public static void afterShutdown() {
    if (watching) {
      JfrHookChain.runTaken();
    }
  }

  private static final class Arm implements Runnable {
    @Override
    public void run() {
      arm();
    }
  }
}
