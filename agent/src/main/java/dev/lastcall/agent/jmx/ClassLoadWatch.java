package dev.lastcall.agent.jmx;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits until a class has been loaded, by anyone: a transformer that compares names and changes
 * nothing counts the load down, and the classes the bootstrap loader already has are checked once
 * after it is added (so a load before that is not missed). Used only on the {@code lastcall-jmx}
 * thread, only in a JVM that brings its own log manager or MBean server builder.
 */
final class ClassLoadWatch implements ClassFileTransformer {
  private final String internalName;
  private final CountDownLatch loaded = new CountDownLatch(1);

  private ClassLoadWatch(String internalName) {
    this.internalName = internalName;
  }

  /**
   * Returns once {@code internalName} (as {@code java/util/logging/LogManager}) is loaded, or at
   * {@code endNanos} ({@link System#nanoTime()}); at once without an {@link Instrumentation}.
   */
  static void await(Instrumentation instrumentation, String internalName, long endNanos)
      throws InterruptedException {
    if (instrumentation == null) {
      return;
    }
    ClassLoadWatch watch = new ClassLoadWatch(internalName);
    instrumentation.addTransformer(watch);
    try {
      String binaryName = internalName.replace('/', '.');
      for (Class<?> known : instrumentation.getInitiatedClasses(null)) {
        if (known.getName().equals(binaryName)) {
          return;
        }
      }
      watch.loaded.await(Math.max(0, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } finally {
      instrumentation.removeTransformer(watch);
    }
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (internalName.equals(className)) {
      loaded.countDown();
    }
    return null; // looks only
  }
}
