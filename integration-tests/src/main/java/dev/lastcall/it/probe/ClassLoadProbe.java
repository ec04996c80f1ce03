package dev.lastcall.it.probe;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test-only agent, attached before Lastcall's, that records which thread loads each class the
 * Lastcall agent bundles (everything under {@code dev/lastcall/shaded/}), each of the JDK's TLS
 * classes ({@code javax/net/ssl/}, {@code sun/security/ssl/}), each of JFR's ({@code jdk/jfr/}) and
 * each of JMX's ({@code javax/management/}, {@code sun/management/}, {@code
 * java/lang/management/}). A transformer is called on the loading thread, so this tells premain's
 * thread apart from Lastcall's own background ones.
 */
public final class ClassLoadProbe {
  private static final String SHADED = "dev/lastcall/shaded/";
  private static final String OKHTTP_CLIENT = SHADED + "okhttp3/OkHttpClient";
  private static final String[] TLS = {"javax/net/ssl/", "sun/security/ssl/"};
  private static final String JFR = "jdk/jfr/";
  private static final String[] JMX = {
    "javax/management/", "sun/management/", "java/lang/management/"
  };
  private static final Queue<String> LOADS = new ConcurrentLinkedQueue<>();
  private static final CountDownLatch OKHTTP_LOADED = new CountDownLatch(1);

  private ClassLoadProbe() {}

  public static void premain(String args, Instrumentation instrumentation) {
    instrumentation.addTransformer(
        new ClassFileTransformer() {
          @Override
          public byte[] transform(
              ClassLoader loader,
              String name,
              Class<?> redefined,
              ProtectionDomain domain,
              byte[] bytes) {
            if (name != null
                && (name.startsWith(SHADED)
                    || isTls(name)
                    || name.startsWith(JFR)
                    || isJmx(name))) {
              LOADS.add(Thread.currentThread().getName() + " " + name);
              if (name.equals(OKHTTP_CLIENT)) {
                OKHTTP_LOADED.countDown();
              }
            }
            return null; // observe only
          }
        });
  }

  private static boolean isJmx(String name) {
    for (String prefix : JMX) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isTls(String name) {
    for (String prefix : TLS) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Waits (bounded) until Lastcall's preparation thread has loaded OkHttp and is done preparing:
   * ended, or waiting in its warm connection for the registry to empty (it keeps that connection
   * until the shutdown), and its JMX check has looked for a JMX server. Then lists every load seen.
   */
  public static List<String> loadsAfterPreparation(long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    OKHTTP_LOADED.await(timeoutMillis, TimeUnit.MILLISECONDS);
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("lastcall-jmx-check")) {
        // It looks, once, whether a JMX server exists (none does here) and ends.
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      if (thread.getName().equals("lastcall-prepare")) {
        while (thread.isAlive() && !keepingItsConnection(thread) && System.nanoTime() < deadline) {
          Thread.sleep(5); // polling another thread's state: there is nothing to be told by
        }
      }
    }
    return List.copyOf(LOADS);
  }

  private static boolean keepingItsConnection(Thread thread) {
    if (thread.getState() != Thread.State.WAITING) {
      return false;
    }
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().endsWith(".WarmConnection")
          && frame.getMethodName().equals("awaitMaybeEmpty")) {
        return true;
      }
    }
    return false;
  }
}
