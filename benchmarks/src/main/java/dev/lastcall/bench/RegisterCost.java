package dev.lastcall.bench;

import dev.lastcall.TaskRegistry;
import dev.lastcall.TrackedTask;
import java.util.Arrays;

/**
 * What one {@code register} and one {@code close} cost the application's thread under the agent,
 * with whatever journal the agent was given ({@code journal=redis://...}, {@code journal=DIR} or
 * none): {@code N} registrations, each timed, then {@code N} closes, each timed, after a warm-up of
 * the same size. One thread, one task at a time: the Redis journal's cost is then one round trip to
 * Redis per registration (its writer batches when threads register at once).
 *
 * <p>Prints one line: {@code COST label register_p50_us register_p99_us close_p50_us close_p99_us
 * register_max_us}.
 */
public final class RegisterCost {
  private RegisterCost() {}

  public static void main(String[] args) throws Exception {
    String label = args[0];
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    measure(n, "warm" + Long.toHexString(System.nanoTime()), null, null);
    long[] register = new long[n];
    long[] close = new long[n];
    measure(n, "bench" + Long.toHexString(System.nanoTime()), register, close);
    Arrays.sort(register);
    Arrays.sort(close);
    System.out.printf(
        "COST %s %.1f %.1f %.1f %.1f %.1f%n",
        label,
        register[n / 2] / 1000.0,
        register[(int) (n * 0.99)] / 1000.0,
        close[n / 2] / 1000.0,
        close[(int) (n * 0.99)] / 1000.0,
        register[n - 1] / 1000.0);
  }

  private static void measure(int n, String prefix, long[] register, long[] close) {
    TrackedTask[] tasks = new TrackedTask[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      tasks[i] = TaskRegistry.global().register(prefix + i);
      if (register != null) {
        register[i] = System.nanoTime() - start;
      }
    }
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      tasks[i].close();
      if (close != null) {
        close[i] = System.nanoTime() - start;
      }
    }
  }
}
