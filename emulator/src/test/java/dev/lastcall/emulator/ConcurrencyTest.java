package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Thousands of parallel stop calls with latency, all answered; and no thread keeps the JVM alive.
 */
class ConcurrencyTest {
  static final String KEY = "bb_many";
  static final int TASKS = 2_000;

  @Test
  void twoThousandParallelStopsWithLatencyAreAllAnswered() throws Exception {
    try (Emulator emu =
        Emulator.builder()
            .pendingFor(Duration.ZERO)
            .faults(Faults.builder().latency(Duration.ofMillis(50)).build())
            .start()) {
      Http http = new Http(emu);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        ids.add(emu.createTask(KEY, "task " + i));
      }
      long t0 = System.nanoTime();
      List<CompletableFuture<Http.Resp>> calls =
          ids.stream()
              .map(
                  id ->
                      http.sendAsync(
                          "PATCH",
                          "/api/tasks/" + id,
                          KEY,
                          "{\"action\":\"stop\"}",
                          Duration.ofSeconds(30)))
              .collect(Collectors.toList());
      CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

      Map<Integer, Long> codes =
          calls.stream()
              .map(CompletableFuture::join)
              .collect(Collectors.groupingBy(Http.Resp::status, Collectors.counting()));
      assertEquals(Map.of(200, (long) TASKS), codes);
      assertEquals(Map.of("stopped", (long) TASKS), emu.countsByStatus());
      assertEquals(TASKS, emu.requestCount());
      assertTrue(
          emu.tasks().stream().allMatch(t -> t.stopCalls() == 1 && t.successfulStops() == 1));
      // Serialised, 2,000 x 50 ms would take 100 s: latency must not hold a thread.
      assertTrue(elapsedMs < 20_000, "took " + elapsedMs + " ms");
    }
  }

  @Test
  void everyThreadTheEmulatorStartsIsADaemon() throws Exception {
    try (Emulator emu =
        Emulator.builder().faults(Faults.builder().latency(Duration.ofMillis(1)).build()).start()) {
      assertEquals(200, new Http(emu).get("/api/tasks", KEY).status());
      List<Thread> ours =
          Thread.getAllStackTraces().keySet().stream()
              .filter(
                  t ->
                      t.getName().startsWith("lastcall-emulator")
                          || t.getName().startsWith("Scheduler-")
                          || t.getName().startsWith("qtp"))
              .collect(Collectors.toList());
      // The server's accepting thread (the JDK server's dispatcher before, now Jetty's acceptor) is
      // the one a JVM would wait for if it were not a daemon.
      assertTrue(ours.stream().anyMatch(t -> t.getName().contains("acceptor")), ours.toString());
      assertTrue(ours.stream().allMatch(Thread::isDaemon), ours.toString());
    }
  }
}
