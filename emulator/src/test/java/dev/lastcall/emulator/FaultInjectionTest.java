package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Each fault, as a client sees it. */
class FaultInjectionTest {
  static final String KEY = "bb_faults";

  private static Emulator start(Faults faults) throws IOException {
    return Emulator.builder().pendingFor(Duration.ZERO).faults(faults).start();
  }

  @Test
  void latencyDelaysEveryAnswerAndCanBeReplacedAtRuntime() throws Exception {
    try (Emulator emu = start(Faults.builder().latency(Duration.ofMillis(300)).build())) {
      Http http = new Http(emu);
      http.get("/api/tasks", KEY); // open the connection outside the measurement
      long t0 = System.nanoTime();
      Http.Resp r = http.get("/api/tasks", KEY);
      long slow = System.nanoTime() - t0;
      assertEquals(200, r.status());
      assertTrue(slow >= Duration.ofMillis(300).toNanos(), "took " + slow / 1_000_000 + " ms");

      emu.faults(Faults.none());
      long t1 = System.nanoTime();
      assertEquals(200, http.get("/api/tasks", KEY).status());
      long fast = System.nanoTime() - t1;
      assertTrue(fast < Duration.ofMillis(250).toNanos(), "took " + fast / 1_000_000 + " ms");
    }
  }

  @Test
  void errorRateOneAnswers500() throws Exception {
    try (Emulator emu = start(Faults.builder().errorRate(1).build())) {
      Http http = new Http(emu);
      String id = emu.createTask(KEY, "x");
      Http.Resp get = http.get("/api/tasks/" + id, KEY);
      assertEquals(500, get.status());
      assertEquals("{\"error\":\"Internal server error\"}", get.body());
      Http.Resp stop = http.stop(id, KEY);
      assertEquals(500, stop.status());
      assertEquals("{\"error\":\"Failed to stop task\"}", stop.body());
      assertEquals("application/json", stop.contentType());
      assertEquals("processing", emu.task(id).orElseThrow().status());
      assertEquals(1, emu.task(id).orElseThrow().stopCalls());
    }
  }

  @Test
  void aHungRequestIsNeverAnsweredUntilClose() throws Exception {
    Emulator emu = start(Faults.builder().hangRate(1).build());
    try {
      Http http = new Http(emu);
      CompletableFuture<Http.Resp> shortWait =
          http.sendAsync("GET", "/api/tasks", KEY, null, Duration.ofMillis(300));
      ExecutionException timedOut =
          assertThrows(ExecutionException.class, () -> shortWait.get(5, TimeUnit.SECONDS));
      assertTrue(
          timedOut.getCause() instanceof HttpTimeoutException, timedOut.getCause().toString());

      // The client's own timeout is far beyond the wait below, so only the close can end it.
      CompletableFuture<Http.Resp> longWait =
          http.sendAsync("GET", "/api/tasks", KEY, null, Duration.ofSeconds(120));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      // The first request stays parked too: its client gave up, but nothing tells the server.
      while (emu.unansweredCount() < 2 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(1_000_000);
      }
      assertEquals(2, emu.unansweredCount(), "both requests are parked, unanswered");
      assertEquals(2, emu.requestCount());
      assertFalse(longWait.isDone());
      emu.close();
      ExecutionException released =
          assertThrows(ExecutionException.class, () -> longWait.get(60, TimeUnit.SECONDS));
      assertTrue(released.getCause() instanceof IOException, released.getCause().toString());
      assertFalse(
          released.getCause() instanceof HttpTimeoutException,
          "the close, not the client's timeout, ended the request: " + released.getCause());
    } finally {
      emu.close();
    }
  }

  @Test
  void rateLimitWithoutRetryAfterByDefault() throws Exception {
    try (Emulator emu = start(Faults.builder().rateLimitRate(1).build())) {
      Http.Resp r = new Http(emu).get("/api/tasks", KEY);
      assertEquals(429, r.status());
      assertEquals("application/json", r.contentType());
      JsonNode body = r.json();
      assertEquals("Rate limit exceeded", body.get("error").asText());
      assertEquals("Too many requests", body.get("message").asText());
      assertEquals(0, body.get("remaining").asInt());
      assertEquals(100, body.get("total").asInt());
      assertTrue(Instant.parse(body.get("resetAt").asText()).isAfter(Instant.now()));
      assertTrue(r.headers().firstValue("Retry-After").isEmpty());
    }
  }

  @Test
  void rateLimitWithRetryAfter() throws Exception {
    try (Emulator emu =
        start(Faults.builder().rateLimitRate(1).retryAfter(Duration.ofSeconds(7)).build())) {
      Http.Resp r = new Http(emu).stop(emu.createTask(KEY, "x"), KEY);
      assertEquals(429, r.status());
      assertEquals("7", r.headers().firstValue("Retry-After").orElse(null));
    }
  }

  @Test
  void failFirstIsAStormThatClears() throws Exception {
    try (Emulator emu = start(Faults.builder().failFirst(3).build())) {
      Http http = new Http(emu);
      String id = emu.createTask(KEY, "x");
      String other = emu.createTask(KEY, "y");
      for (int i = 0; i < 3; i++) {
        Http.Resp r = http.stop(id, KEY);
        assertEquals(500, r.status());
        assertEquals("{\"error\":\"Failed to stop task\"}", r.body());
      }
      assertEquals(200, http.stop(id, KEY).status());
      assertEquals(500, http.stop(other, KEY).status(), "counted per task");
      assertEquals(200, http.get("/api/tasks/" + id, KEY).status(), "only stop calls are affected");
      TaskView view = emu.task(id).orElseThrow();
      assertEquals(4, view.stopCalls());
      assertEquals(1, view.successfulStops());
      assertEquals("stopped", view.status());
    }
  }

  @Test
  void rateLimitFirstComesBeforeFailFirst() throws Exception {
    try (Emulator emu = start(Faults.builder().rateLimitFirst(2).failFirst(1).build())) {
      Http http = new Http(emu);
      String id = emu.createTask(KEY, "x");
      List<Integer> codes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        codes.add(http.stop(id, KEY).status());
      }
      assertEquals(List.of(429, 429, 500, 200), codes);
    }
  }

  @Test
  void aSeedMakesRandomFaultsRepeat() throws Exception {
    List<List<Integer>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      try (Emulator emu =
          Emulator.builder().seed(42).faults(Faults.builder().errorRate(0.5).build()).start()) {
        Http http = new Http(emu);
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          codes.add(http.get("/api/tasks", KEY).status());
        }
        runs.add(codes);
      }
    }
    assertEquals(runs.get(0), runs.get(1));
    assertTrue(runs.get(0).contains(500) && runs.get(0).contains(200), runs.get(0).toString());
  }
}
