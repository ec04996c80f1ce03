package dev.lastcall.bench;

import dev.lastcall.TaskRegistry;
import dev.lastcall.TrackedTask;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap held per registered task: heap used after a full GC, before and after registering {@code N}
 * ids (default 1,000,000). The ids are made before the first reading, so the result is what the
 * registry adds (its entry and the handle), not the id strings, which the application holds anyway;
 * their size is printed too.
 *
 * <p>Prints one line: {@code HEAP tasks=N registryBytesPerTask=B idBytesPerTask=I}.
 */
public final class HeapPerTask {
  private HeapPerTask() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    long base = usedAfterGc();
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = "bench" + Integer.toString(i, 36) + "x0123456789abcdef"; // about 22 characters
    }
    long withIds = usedAfterGc();
    TrackedTask[] handles = new TrackedTask[n]; // the application holds its handles too
    long withArray = usedAfterGc();
    for (int i = 0; i < n; i++) {
      handles[i] = TaskRegistry.global().register(ids[i]);
    }
    long registered = usedAfterGc();
    double registryPerTask = (registered - withArray) / (double) n;
    double idPerTask = (withIds - base) / (double) n;
    System.out.printf(
        "HEAP tasks=%d registryBytesPerTask=%.1f idBytesPerTask=%.1f size=%d held=%d%n",
        n, registryPerTask, idPerTask, TaskRegistry.global().size(), handles.length);
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(used - last) < 64 * 1024) {
        return used;
      }
      last = used;
    }
    return last;
  }
}
