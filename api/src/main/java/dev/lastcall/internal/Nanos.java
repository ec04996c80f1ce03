package dev.lastcall.internal;

import java.time.Duration;

/**
 * Time arithmetic in {@link System#nanoTime()} units, in one place.
 *
 * <p><b>Internal:</b> public only so that the agent and the client can share it; not for
 * applications, and it may change in any release.
 */
public final class Nanos {
  /**
   * Durations beyond this (about 73 years) are treated as this, so that {@code nanoTime() + d} and
   * differences of such sums never overflow.
   */
  public static final long MAX = Long.MAX_VALUE / 4;

  private Nanos() {}

  /** {@code duration} in nanoseconds, negative durations as 0 and long ones as {@link #MAX}. */
  public static long clamp(Duration duration) {
    if (duration.isNegative()) {
      return 0;
    }
    return duration.compareTo(Duration.ofNanos(MAX)) > 0 ? MAX : duration.toNanos();
  }

  /** The time left until {@code deadlineNanos}, never negative. */
  public static Duration leftUntil(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  /** The time since {@code startNanos}, never negative. */
  public static Duration since(long startNanos) {
    return Duration.ofNanos(Math.max(0, System.nanoTime() - startNanos));
  }
}
