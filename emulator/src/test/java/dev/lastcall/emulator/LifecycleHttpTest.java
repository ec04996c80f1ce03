package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The life cycle as a client polling the status endpoint sees it. */
class LifecycleHttpTest {
  static final String KEY = "bb_lifecycle";

  @Test
  void aTaskWalksThroughEveryStatusOnTheRealClock() throws Exception {
    try (Emulator emu =
        Emulator.builder()
            .pendingFor(Duration.ofMillis(100))
            .processingFor(Duration.ofMillis(400))
            .savingFor(Duration.ofMillis(300))
            .start()) {
      Http http = new Http(emu);
      String id = http.create(KEY, "walk");
      List<String> seen = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      JsonNode status;
      do {
        status = http.get("/api/tasks/" + id + "/status", KEY).json();
        String s = status.get("status").asText();
        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s)) {
          seen.add(s);
        }
      } while (!status.get("isDone").asBoolean() && System.nanoTime() < deadline);
      assertEquals(List.of("pending", "processing", "saving", "completed"), seen);
      assertEquals(100, status.get("progress").asInt());
      assertTrue(status.get("duration").asText().matches("\\d+s"));
      assertEquals(Long.valueOf(1), emu.countsByStatus().get("completed"));
    }
  }

  @Test
  void phasesFollowTheConfiguredTimings() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    try (Emulator emu =
        Emulator.builder()
            .clock(clock)
            .pendingFor(Duration.ofSeconds(1))
            .processingFor(Duration.ofSeconds(100))
            .savingFor(Duration.ofSeconds(2))
            .start()) {
      Http http = new Http(emu);
      String id = http.create(KEY, "timed");
      String path = "/api/tasks/" + id + "/status";
      assertEquals("pending", http.get(path, KEY).json().get("status").asText());
      clock.advance(Duration.ofSeconds(51));
      JsonNode processing = http.get(path, KEY).json();
      assertEquals("processing", processing.get("status").asText());
      assertEquals(45, processing.get("progress").asInt());
      assertTrue(processing.get("inProgress").asBoolean());
      clock.advance(Duration.ofSeconds(51));
      assertEquals("saving", http.get(path, KEY).json().get("status").asText());
      assertEquals(200, http.stop(id, KEY).status(), "saving can still be stopped");

      String later = http.create(KEY, "to completion");
      clock.advance(Duration.ofSeconds(12));
      clock.advance(Duration.ofSeconds(91));
      JsonNode done = http.get("/api/tasks/" + later + "/status", KEY).json();
      assertEquals("completed", done.get("status").asText());
      assertEquals("2025-01-01T00:03:25.000Z", done.get("completedAt").asText());
      assertEquals("103s", done.get("duration").asText());
      assertFalse(done.get("inProgress").asBoolean());
      assertEquals(400, http.stop(later, KEY).status());
      JsonNode task = http.get("/api/tasks/" + later, KEY).json().get("task");
      assertEquals("sbx_" + later, task.get("sandboxId").asText());
    }
  }

  @Test
  void runningPastMaxDurationIsATimeout() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    try (Emulator emu =
        Emulator.builder()
            .clock(clock)
            .pendingFor(Duration.ZERO)
            .processingFor(Duration.ofMinutes(10))
            .start()) {
      Http http = new Http(emu);
      String id =
          http.post("/api/tasks", KEY, "{\"prompt\":\"slow\",\"maxDuration\":30}")
              .json()
              .get("task")
              .get("id")
              .asText();
      clock.advance(Duration.ofSeconds(29));
      assertEquals("processing", emu.task(id).orElseThrow().status());
      clock.advance(Duration.ofSeconds(1));
      JsonNode status = http.get("/api/tasks/" + id + "/status", KEY).json();
      assertEquals("timeout", status.get("status").asText());
      assertTrue(status.get("isDone").asBoolean());
      assertEquals("30s", status.get("duration").asText());
      assertEquals(400, http.stop(id, KEY).status());
    }
  }

  @Test
  void aStoppedTaskStaysStoppedAndForcedStatusesStick() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    try (Emulator emu = Emulator.builder().clock(clock).pendingFor(Duration.ZERO).start()) {
      Http http = new Http(emu);
      String id = http.create(KEY, "stop me");
      assertEquals(200, http.stop(id, KEY).status());
      clock.advance(Duration.ofHours(1));
      assertEquals(
          "stopped", http.get("/api/tasks/" + id + "/status", KEY).json().get("status").asText());

      String odd = emu.createTask(KEY, "odd");
      emu.forceStatus(odd, "running");
      JsonNode s = http.get("/api/tasks/" + odd + "/status", KEY).json();
      assertEquals("running", s.get("status").asText());
      assertFalse(s.get("isDone").asBoolean());
      emu.forceStatus(odd, "error");
      assertEquals(
          "Task failed",
          http.get("/api/tasks/" + odd + "/status", KEY).json().get("error").asText());
    }
  }
}
