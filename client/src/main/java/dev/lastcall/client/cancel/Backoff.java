package dev.lastcall.client.cancel;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Delays between attempts, in nanoseconds. Stateless: the caller keeps the attempt count, so a
 * task's state stays a few ints.
 */
final class Backoff {
  /** After a 5xx, an I/O failure or a malformed body: 100 ms doubling to 2 s, full jitter. */
  static final Backoff TRANSIENT = new Backoff(100, 2_000, true);

  /** While a task is not stoppable yet (400, status pending): 50 ms growing to 1 s. */
  static final Backoff POLL = new Backoff(50, 1_000, false);

  /** After a 429 without Retry-After: 250 ms doubling to 4 s, full jitter. */
  static final Backoff RATE_LIMITED = new Backoff(250, 4_000, true);

  private final long baseNanos;
  private final long capNanos;
  private final boolean fullJitter;

  Backoff(long baseMillis, long capMillis, boolean fullJitter) {
    this.baseNanos = baseMillis * 1_000_000L;
    this.capNanos = capMillis * 1_000_000L;
    this.fullJitter = fullJitter;
  }

  /** The ceiling for attempt {@code n} (0-based): base * 2^n, at most the cap. */
  long ceilingNanos(int n) {
    int shift = Math.min(Math.max(n, 0), 30);
    return Math.min(capNanos, baseNanos << shift);
  }

  /**
   * The delay before retry number {@code n}. Full jitter (uniform in 0..ceiling) spreads thousands
   * of tasks that failed together; polling uses half fixed, half random so it never spins.
   */
  long delayNanos(int n) {
    long ceiling = ceilingNanos(n);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (fullJitter) {
      return random.nextLong(ceiling + 1);
    }
    long half = ceiling / 2;
    return half + random.nextLong(ceiling - half + 1);
  }
}
