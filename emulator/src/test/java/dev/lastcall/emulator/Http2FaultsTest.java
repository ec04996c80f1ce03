package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Held answers on streams that share one HTTP/2 connection: each is held alone. */
class Http2FaultsTest {
  static final String KEY = "bb_0123456789abcdef";

  @Test
  void aHungStreamDoesNotHoldTheOthersAndCloseReleasesIt() throws Exception {
    Emulator emu = Emulator.builder().tls().start();
    try {
      Http h2 = new Http(emu, Transport.HTTPS_H2);
      assertEquals(200, h2.get("/api/tasks", KEY).status()); // the one connection
      emu.faults(Faults.builder().hangRate(1).build());
      CompletableFuture<Http.Resp> hung =
          h2.sendAsync("GET", "/api/tasks", KEY, null, Duration.ofMinutes(1));
      // The hung request has arrived once the emulator counts it; then answers flow again.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (emu.requestCount() < 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(2, emu.requestCount());
      emu.faults(Faults.none());
      assertEquals(200, h2.get("/api/tasks", KEY).status());
      assertFalse(hung.isDone());
      assertEquals(1L, emu.connectionCounts().get("h2"));

      emu.close();
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> hung.get(10, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof IOException, e.toString());
    } finally {
      emu.close();
    }
  }

  @Test
  void latencyOnAHundredMultiplexedStreamsDelaysEachOnItsOwn() throws Exception {
    try (Emulator emu =
        Emulator.builder()
            .tls()
            .faults(Faults.builder().latency(Duration.ofMillis(500)).build())
            .start()) {
      Http h2 = new Http(emu, Transport.HTTPS_H2);
      assertEquals(200, h2.get("/api/tasks", KEY).status());
      long start = System.nanoTime();
      List<CompletableFuture<Http.Resp>> all = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        all.add(h2.sendAsync("GET", "/api/tasks", KEY, null, Duration.ofSeconds(30)));
      }
      for (CompletableFuture<Http.Resp> r : all) {
        assertEquals(200, r.get().status());
      }
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      // Held together, not one after another on the connection: 100 x 500 ms would be 50 s.
      assertTrue(elapsedMs >= 500 && elapsedMs < 10_000, "took " + elapsedMs + " ms");
      assertEquals(1L, emu.connectionCounts().get("h2"));
      assertEquals(101L, emu.streamCounts().get("h2"));
    }
  }
}
