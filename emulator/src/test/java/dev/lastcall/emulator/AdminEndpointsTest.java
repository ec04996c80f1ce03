package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code /_emulator/state} and {@code /_emulator/faults}. */
class AdminEndpointsTest {
  static final String KEY = "bb_admin";

  @Test
  void stateReportsCountsRequestsAndTasks() throws Exception {
    try (Emulator emu = Emulator.builder().pendingFor(Duration.ZERO).start()) {
      Http http = new Http(emu);
      String a = http.create(KEY, "a");
      String b = http.create(KEY, "b");
      http.stop(a, KEY);
      Http.Resp r = http.get("/_emulator/state", null);
      assertEquals(200, r.status());
      assertEquals("application/json", r.contentType());
      JsonNode state = r.json();
      assertEquals(1, state.get("counts").get("stopped").asLong());
      assertEquals(1, state.get("counts").get("processing").asLong());
      assertEquals(3, state.get("requests").asLong(), "admin requests are not counted");
      assertEquals(2, state.get("tasks").size());
      JsonNode first = state.get("tasks").get(0);
      assertEquals(a, first.get("id").asText());
      assertEquals("stopped", first.get("status").asText());
      assertEquals(1, first.get("stopCalls").asLong());
      assertEquals(b, state.get("tasks").get(1).get("id").asText());
      assertEquals(0, state.get("tasks").get(1).get("stopCalls").asLong());
      assertEquals(3, emu.requestCount());
      assertEquals(1L, emu.countsByStatus().get("stopped"));
    }
  }

  @Test
  void faultsCanBeReplacedOverHttp() throws Exception {
    try (Emulator emu = Emulator.builder().start()) {
      Http http = new Http(emu);
      Http.Resp put =
          http.send(
              "PUT",
              "/_emulator/faults",
              null,
              "{\"latencyMs\":50,\"errorRate\":1,\"hangRate\":0,\"rateLimitRate\":0,\"retryAfterSeconds\":null,"
                  + "\"failFirst\":2,\"rateLimitFirst\":0}");
      assertEquals(204, put.status());
      assertEquals(
          Faults.builder().latency(Duration.ofMillis(50)).errorRate(1).failFirst(2).build(),
          emu.faults());
      assertEquals(500, http.get("/api/tasks", KEY).status());
      assertEquals(
          200, http.get("/_emulator/state", null).status(), "admin endpoints ignore faults");
      JsonNode current = http.get("/_emulator/faults", null).json();
      assertEquals(50, current.get("latencyMs").asLong());
      assertEquals(2, current.get("failFirst").asInt());
      assertTrue(current.get("retryAfterSeconds").isNull());

      assertEquals(
          204, http.send("PUT", "/_emulator/faults", null, "{\"retryAfterSeconds\":3}").status());
      assertEquals(Faults.builder().retryAfter(Duration.ofSeconds(3)).build(), emu.faults());
    }
  }

  @Test
  void badAdminRequestsAreRefused() throws Exception {
    try (Emulator emu = Emulator.builder().start()) {
      Http http = new Http(emu);
      for (String body :
          new String[] {
            "{\"errorRate\":2}",
            "{\"latencyMs\":-1}",
            "{\"latency\":5}",
            "nope",
            "{\"failFirst\":1.5}"
          }) {
        Http.Resp r = http.send("PUT", "/_emulator/faults", null, body);
        assertEquals(400, r.status(), body);
        assertTrue(r.json().has("error"), body);
      }
      assertEquals(Faults.none(), emu.faults());
      assertEquals(405, http.send("DELETE", "/_emulator/state", null, null).status());
      assertEquals(404, http.get("/_emulator/nothing", null).status());
    }
  }
}
