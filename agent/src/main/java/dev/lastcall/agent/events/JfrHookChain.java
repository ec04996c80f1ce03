package dev.lastcall.agent.events;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

/**
 * Makes JFR's shutdown hook run after the agent's, so that the events of the shutdown reach a
 * {@code dumponexit} recording.
 *
 * <p>JFR registers one ordinary application hook ({@code PlatformRecorder.shutdownHook}, a {@code
 * Thread} running {@code jdk.jfr.internal.ShutdownHook}, JDK 17 to 25), which dumps every {@code
 * dumponexit} recording, stops the others and ends JFR. Hooks run concurrently, so the agent's
 * events would race that dump. Once a recorder exists, {@link #take} removes that hook from the
 * runtime and keeps it; the agent's own hook runs it ({@link #runTaken}) when its shutdown has
 * ended, which is bounded by {@code timeout}. JFR's dump thus starts at most {@code timeout} later
 * than it would have, and contains everything the agent emitted.
 *
 * <p>Reading the private field needs {@code jdk.jfr.internal} opened to this class's module: done
 * with the agent's {@link Instrumentation}, for that one package, only in a JVM whose recorder
 * exists.
 */
final class JfrHookChain {
  private static Thread taken; // guarded by JfrHookChain.class

  private JfrHookChain() {}

  /**
   * Takes JFR's hook out of the runtime's hooks, to be run by {@link #runTaken}. False, and JFR's
   * hook left alone, when it cannot (another JDK's internals, shutdown already under way).
   */
  static synchronized boolean take(Instrumentation instrumentation)
      throws ReflectiveOperationException {
    if (taken != null) {
      return true;
    }
    Module jfr = ModuleLayer.boot().findModule("jdk.jfr").orElse(null);
    if (jfr == null) {
      return false;
    }
    Module mine = JfrHookChain.class.getModule();
    if (!jfr.isOpen("jdk.jfr.internal", mine)) {
      instrumentation.redefineModule(
          jfr, Set.of(), Map.of(), Map.of("jdk.jfr.internal", Set.of(mine)), Set.of(), Map.of());
    }
    Class<?> access = Class.forName("jdk.jfr.internal.PrivateAccess", true, null);
    Object privateAccess = access.getMethod("getInstance").invoke(null);
    Method recorderOf = access.getMethod("getPlatformRecorder");
    Object recorder = recorderOf.invoke(privateAccess);
    Field hookField = recorder.getClass().getDeclaredField("shutdownHook");
    hookField.setAccessible(true);
    Object hook = hookField.get(recorder);
    if (!(hook instanceof Thread)) {
      return false;
    }
    // Throws IllegalStateException once shutdown has begun: then JFR's hook is already running.
    if (!Runtime.getRuntime().removeShutdownHook((Thread) hook)) {
      return false;
    }
    taken = (Thread) hook;
    return true;
  }

  /**
   * Runs JFR's hook on the calling thread (the agent's hook, its shutdown done), once. Never
   * throws.
   */
  static void runTaken() {
    Thread hook;
    synchronized (JfrHookChain.class) {
      hook = taken;
      taken = null;
    }
    if (hook == null) {
      return;
    }
    try {
      hook.run(); // its body, here: the Thread itself is never started
    } catch (Throwable t) {
      // JFR's own failure at its dump: JFR reports those itself; nothing of the agent's to do.
    }
  }
}
