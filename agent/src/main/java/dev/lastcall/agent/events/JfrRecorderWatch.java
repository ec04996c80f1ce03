package dev.lastcall.agent.events;

import dev.lastcall.agent.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * The first class of the agent's that names JFR's types; reached only off premain's thread, in a
 * JVM whose boot layer has {@code jdk.jfr}. Once a flight recorder exists (at once, or later when
 * {@code jcmd JFR.start} or the application creates one, as Netty's {@code JfrEventRegistration}
 * waits for it), it chains JFR's shutdown hook behind the agent's ({@link JfrHookChain}), registers
 * the agent's events and hands {@link JfrEvents} the {@link JfrSink}. A JVM that never records gets
 * no event metadata.
 */
final class JfrRecorderWatch {
  private static final AtomicBoolean ARMED = new AtomicBoolean();

  private JfrRecorderWatch() {}

  /**
   * Cheap when no recorder exists: one flag read, then a listener handed to JFR from a {@code
   * lastcall-jfr} daemon thread (registering it loads some of JFR's classes: about 14 ms on JDK 17,
   * 1 ms on 25, measured on the 2-core machine), so the preparation thread does not wait for it.
   */
  static void watch(Instrumentation instrumentation) {
    if (FlightRecorder.isInitialized()) {
      armed(instrumentation);
      return;
    }
    Thread thread = new Thread(new Listen(instrumentation), "lastcall-jfr");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * At an event, before the listener has been told (JFR tells it after creating the recorder, on
   * the thread that created it): arms now if a recorder exists. One flag read otherwise.
   */
  static void armIfRecorderExists(Instrumentation instrumentation) {
    if (FlightRecorder.isInitialized()) {
      armed(instrumentation);
    }
  }

  /**
   * The recorder exists: JFR's hook chained behind the agent's at once (a few milliseconds), the
   * events registered on a {@code lastcall-jfr} thread (JFR instruments each class: 70 to 200 ms on
   * the 2-core machine, which the client's preparation should not wait for); once. Never throws.
   */
  static void armed(Instrumentation instrumentation) {
    // No lock held while arming: JFR calls the listener holding its own lock, which arming takes.
    if (!ARMED.compareAndSet(false, true)) {
      return;
    }
    CountDownLatch registered = new CountDownLatch(1);
    JfrEvents.registering(registered);
    if (instrumentation != null) { // else no premain: no shutdown hook of ours to run JFR's after
      chain(instrumentation);
    }
    try {
      Thread thread = new Thread(new Register(registered), "lastcall-jfr");
      thread.setDaemon(true);
      thread.start();
    } catch (Throwable t) {
      registered.countDown();
      AgentLog.line("JFR events are off, the rest of the agent works: " + t);
    }
  }

  private static void chain(Instrumentation instrumentation) {
    try {
      if (!JfrHookChain.take(instrumentation)) {
        AgentLog.line(
            "JFR's shutdown hook was not found in this JDK: a dumponexit recording may miss the"
                + " shutdown's events");
      }
    } catch (IllegalStateException shutdownUnderWay) {
      // JFR's hook is running already; the events race it as they would without us.
    } catch (Throwable t) {
      AgentLog.line(
          "could not order JFR's shutdown hook after the agent's, a dumponexit recording may miss"
              + " the shutdown's events: "
              + t);
    }
  }

  /** Registers the events and hands out the sink; says it is done either way. */
  private static final class Register implements Runnable {
    private final CountDownLatch registered;

    Register(CountDownLatch registered) {
      this.registered = registered;
    }

    @Override
    public void run() {
      try {
        FlightRecorder.register(ShutdownEvent.class);
        FlightRecorder.register(TaskCancelEvent.class);
        FlightRecorder.register(TimeLimitEvent.class);
        FlightRecorder.register(SweepEvent.class);
        JfrEvents.emitTo(new JfrSink());
      } catch (Throwable t) {
        AgentLog.line("JFR events are off, the rest of the agent works: " + t);
      } finally {
        registered.countDown();
      }
    }
  }

  private static final class Listen implements Runnable {
    private final Instrumentation instrumentation;

    Listen(Instrumentation instrumentation) {
      this.instrumentation = instrumentation;
    }

    @Override
    public void run() {
      try {
        FlightRecorder.addListener(new RecorderStarts(instrumentation));
      } catch (Throwable t) {
        AgentLog.line("JFR events are off, the rest of the agent works: " + t);
      }
    }
  }

  /** Told by JFR when its recorder is created (at once, if it already exists). */
  private static final class RecorderStarts implements FlightRecorderListener {
    private final Instrumentation instrumentation;

    RecorderStarts(Instrumentation instrumentation) {
      this.instrumentation = instrumentation;
    }

    @Override
    public void recorderInitialized(FlightRecorder recorder) {
      armed(instrumentation);
    }
  }
}
