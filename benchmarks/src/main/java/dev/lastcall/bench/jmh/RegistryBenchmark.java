package dev.lastcall.bench.jmh;

import dev.lastcall.TaskRegistry;
import dev.lastcall.TrackedTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an application pays per task: {@code register} then {@code close} on the global registry, as
 * the try-with-resources around a task does. Each thread cycles through its own ids (made once, so
 * the id string is not part of the cost), so with {@code -t 2} both cores contend on the same map,
 * not on the same key. Run it with {@code -prof gc} for the allocation per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegistryBenchmark {
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** Per-thread ids; 1,024 of them, so the map stays small and warm as in a real app. */
  @State(Scope.Thread)
  public static class Ids {
    String[] ids;
    int next;

    @Setup(Level.Trial)
    public void make() {
      int thread = THREADS.getAndIncrement();
      ids = new String[1024];
      for (int i = 0; i < ids.length; i++) {
        // The shape of a real BLACKBOX id: 22 URL-safe characters.
        ids[i] = String.format("t%02dbench%015d", thread, i);
      }
    }
  }

  /** register + close: the whole cost of tracking one task. */
  @Benchmark
  public TrackedTask registerAndClose(Ids state) {
    TrackedTask task = TaskRegistry.global().register(state.ids[state.next++ & 1023]);
    task.close();
    return task;
  }

  /** register alone (the entry stays until the next round replaces it): the write half. */
  @Benchmark
  public TrackedTask registerOnly(Ids state) {
    return TaskRegistry.global().register(state.ids[state.next++ & 1023]);
  }
}
