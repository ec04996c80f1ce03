package dev.lastcall.agent.attach;

import java.util.concurrent.TimeUnit;

/**
 * Waits, at attach, for tracking's {@code lastcall-instrument} thread to finish building the
 * instrumentation and retransforming the client classes already loaded, so that when the {@code
 * attach} command says "tracking on" a task the application creates next is tracked. Without this
 * the command returned about a second before that was true (Byte Buddy's start on a cold thread).
 *
 * <p>It finds the thread by the name {@code TrackingStart} gives it: tracking offers no readiness
 * signal of its own yet (its package is owned elsewhere), and a thread that has ended is a complete
 * one, whether tracking came up or said on stderr why not.
 */
final class TrackingReady {
  /** The name {@code dev.lastcall.agent.tracking.TrackingStart} gives its thread. */
  static final String THREAD = "lastcall-instrument";

  private TrackingReady() {}

  /** True once no such thread is alive, within {@code maxMillis}. */
  static boolean await(long maxMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (!THREAD.equals(thread.getName())) {
        continue;
      }
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return !thread.isAlive();
      }
      try {
        thread.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (thread.isAlive()) {
        return false;
      }
    }
    return true;
  }
}
