package dev.lastcall.agent.tracking;

import dev.lastcall.agent.registry.SharedRegistry;
import java.lang.instrument.Instrumentation;
import java.net.URI;

/**
 * premain's part of tracking: registers the {@link TrackingGate} (JDK types only) and starts the
 * {@code lastcall-instrument} daemon thread that builds the rest ({@link TrackingInstaller}). This
 * class names no Byte Buddy type, so loading and verifying it on the application's thread loads
 * none.
 *
 * <p>At launch the thread holds off for {@link #HOLD_OFF_AT_LAUNCH_MILLIS}, or until the first
 * covered client class starts loading, whichever is first: building the instrumentation (about 700
 * of Byte Buddy's classes) while the JVM starts competed with the application's own start for the
 * CPU, and cost a hello world some 17 ms of wall time on 2 cores (BENCHMARKS.md, issue 13). Nothing
 * is missed meanwhile: a covered class that loads first waits for the build in {@link
 * TrackingGate}, as before; one loaded earlier is retransformed when the build is done. A short
 * program that never loads a covered client exits before the build starts and pays nothing for it.
 */
public final class TrackingStart {
  /** How long tracking's build holds off at launch unless a covered class loads first. */
  public static final long HOLD_OFF_AT_LAUNCH_MILLIS = 1_000;

  private TrackingStart() {}

  /**
   * Returns at once; tracking is ready when the thread has built it, which the returned {@link
   * Ready} can wait for. The build holds off for at most {@code holdOffMillis} (0: builds at once,
   * as an attached agent does, whose covered classes are usually loaded already).
   */
  public static Ready inBackground(
      Instrumentation instrumentation,
      URI baseUrl,
      URI agentBaseUrl,
      SharedRegistry registry,
      long holdOffMillis) {
    TrackingGate gate = new TrackingGate();
    Thread thread =
        new Thread(
            new Install(instrumentation, baseUrl, agentBaseUrl, registry, gate, holdOffMillis),
            "lastcall-instrument");
    thread.setDaemon(true);
    gate.installingOn(thread);
    instrumentation.addTransformer(gate, true);
    thread.start();
    return new Ready(thread);
  }

  /**
   * Tells when tracking's thread is done: the instrumentation built and the covered classes already
   * loaded retransformed (or tracking off, said on stderr). An agent attached to a running JVM
   * waits for it before it says "tracking on", since a task created just before that would be
   * missed.
   */
  public static final class Ready {
    /** For an agent without tracking: nothing to wait for. */
    public static final Ready NONE = new Ready(null);

    private final Thread thread;

    private Ready(Thread thread) {
      this.thread = thread;
    }

    /** True once tracking's thread has finished, waiting at most {@code maxMillis} for it. */
    public boolean await(long maxMillis) {
      if (thread == null) {
        return true;
      }
      try {
        thread.join(Math.max(1, maxMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return !thread.isAlive();
    }
  }

  private static final class Install implements Runnable {
    private final Instrumentation instrumentation;
    private final URI baseUrl;
    private final URI agentBaseUrl;
    private final SharedRegistry registry;
    private final TrackingGate gate;
    private final long holdOffMillis;

    Install(
        Instrumentation instrumentation,
        URI baseUrl,
        URI agentBaseUrl,
        SharedRegistry registry,
        TrackingGate gate,
        long holdOffMillis) {
      this.instrumentation = instrumentation;
      this.baseUrl = baseUrl;
      this.agentBaseUrl = agentBaseUrl;
      this.registry = registry;
      this.gate = gate;
      this.holdOffMillis = holdOffMillis;
    }

    @Override
    public void run() {
      try {
        gate.awaitNeed(holdOffMillis);
      } catch (InterruptedException e) {
        return; // only the JVM's end interrupts a daemon thread of ours
      }
      TrackingInstaller.install(instrumentation, baseUrl, agentBaseUrl, registry, gate);
    }
  }
}
