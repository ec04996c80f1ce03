package dev.lastcall.agent.tracking;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one transformer tracking registers, from premain: JDK types only, so nothing of Byte Buddy
 * loads on the application's thread. Every class load costs it one set lookup by name. A covered
 * class ({@link ClientClasses}) is handed to the transformer Byte Buddy builds on the {@code
 * lastcall-instrument} thread; when one loads before that transformer is ready (a task created in
 * the first milliseconds of {@code main}), its loading waits for it, at most {@link
 * #MAX_WAIT_MILLIS}, so that the application's first call is tracked too. Only applications that
 * use a covered client ever wait. The first covered class to load also tells the thread to build
 * now if it is still holding off ({@link #awaitNeed}).
 */
final class TrackingGate implements ClassFileTransformer {
  /** The longest a covered class's loading waits for the transformer; after it, it loads as is. */
  static final long MAX_WAIT_MILLIS = 5_000;

  private final CountDownLatch needed = new CountDownLatch(1);
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile ClassFileTransformer transformer;
  private volatile Thread installer;

  /** The thread building the transformer: it never waits for itself. */
  void installingOn(Thread thread) {
    installer = thread;
  }

  /**
   * The building thread's wait before it builds: until a covered class starts loading, at most
   * {@code maxMillis}. Returns at once for 0.
   */
  void awaitNeed(long maxMillis) throws InterruptedException {
    if (maxMillis > 0) {
      needed.await(maxMillis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Hands over Byte Buddy's transformer and lets waiting loads go; null if it could not be made.
   */
  void ready(ClassFileTransformer built) {
    transformer = built;
    ready.countDown();
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer)
      throws IllegalClassFormatException {
    if (className == null || !ClientClasses.covers(className)) {
      return null;
    }
    try {
      if (Thread.currentThread() != installer) {
        needed.countDown();
        ready.await(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      }
      ClassFileTransformer built = transformer;
      return built == null
          ? null
          : built.transform(
              module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Throwable t) {
      return null; // the class loads unchanged: never an error in the application's class loading
    }
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer)
      throws IllegalClassFormatException {
    return transform(
        null, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
  }
}
