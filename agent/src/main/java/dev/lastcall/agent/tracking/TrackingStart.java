package dev.lastcall.agent.tracking;

import dev.lastcall.agent.registry.SharedRegistry;
import java.lang.instrument.Instrumentation;
import java.net.URI;

/**
 * premain's part of tracking: registers the {@link TrackingGate} (JDK types only) and starts the
 * {@code lastcall-instrument} daemon thread that builds the rest ({@link TrackingInstaller}). This
 * class names no Byte Buddy type, so loading and verifying it on the application's thread loads
 * none.
 */
public final class TrackingStart {
  private TrackingStart() {}

  /**
   * Returns at once; tracking is ready when the thread has built it, which the returned {@link
   * Ready} can wait for.
   */
  public static Ready inBackground(
      Instrumentation instrumentation, URI baseUrl, URI agentBaseUrl, SharedRegistry registry) {
    TrackingGate gate = new TrackingGate();
    Thread thread =
        new Thread(
            new Install(instrumentation, baseUrl, agentBaseUrl, registry, gate),
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

    Install(
        Instrumentation instrumentation,
        URI baseUrl,
        URI agentBaseUrl,
        SharedRegistry registry,
        TrackingGate gate) {
      this.instrumentation = instrumentation;
      this.baseUrl = baseUrl;
      this.agentBaseUrl = agentBaseUrl;
      this.registry = registry;
      this.gate = gate;
    }

    @Override
    public void run() {
      TrackingInstaller.install(instrumentation, baseUrl, agentBaseUrl, registry, gate);
    }
  }
}
