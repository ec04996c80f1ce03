package dev.lastcall.agent.runtime;

import java.util.concurrent.TimeUnit;

/**
 * A value handed from one thread to others exactly once, with a bounded wait for it. Used where
 * premain creates the waiting side: unlike {@code CompletableFuture}, it loads no fork-join pool or
 * other machinery onto the application's thread.
 */
public final class Handoff<T> {
  private T value; // guarded by this
  private boolean done; // guarded by this

  /**
   * Hands {@code value} over; returns false (and changes nothing) if one was handed over already.
   */
  public synchronized boolean complete(T value) {
    if (done) {
      return false;
    }
    this.value = value;
    done = true;
    notifyAll();
    return true;
  }

  public synchronized boolean isDone() {
    return done;
  }

  /** The value if it was handed over already, else null; never waits. */
  public synchronized T valueIfDone() {
    return value;
  }

  /** The value, waiting at most {@code timeoutNanos} for it; null if it did not come in time. */
  public synchronized T await(long timeoutNanos) throws InterruptedException {
    long end = System.nanoTime() + Math.max(0, timeoutNanos);
    while (!done) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return value;
  }
}
