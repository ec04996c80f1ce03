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

  /** Returns at once; tracking is ready when the thread has built it. */
  public static void inBackground(
      Instrumentation instrumentation, URI baseUrl, SharedRegistry registry) {
    TrackingGate gate = new TrackingGate();
    Thread thread =
        new Thread(new Install(instrumentation, baseUrl, registry, gate), "lastcall-instrument");
    thread.setDaemon(true);
    gate.installingOn(thread);
    instrumentation.addTransformer(gate, true);
    thread.start();
  }

  private static final class Install implements Runnable {
    private final Instrumentation instrumentation;
    private final URI baseUrl;
    private final SharedRegistry registry;
    private final TrackingGate gate;

    Install(
        Instrumentation instrumentation, URI baseUrl, SharedRegistry registry, TrackingGate gate) {
      this.instrumentation = instrumentation;
      this.baseUrl = baseUrl;
      this.registry = registry;
      this.gate = gate;
    }

    @Override
    public void run() {
      TrackingInstaller.install(instrumentation, baseUrl, registry, gate);
    }
  }
}
