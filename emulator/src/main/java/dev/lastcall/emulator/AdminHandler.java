package dev.lastcall.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;

/**
 * Serves {@code /_emulator/...} for the CLI and the demo: no authentication, no faults, no latency.
 *
 * <ul>
 *   <li>{@code GET /_emulator/state}: counts by status, requests served, every task's id, status
 *       and stop calls;
 *   <li>{@code GET /_emulator/faults}: the faults in force;
 *   <li>{@code PUT /_emulator/faults}: replaces them (204).
 * </ul>
 */
final class AdminHandler {
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final Emulator emulator;
  private final TaskStore store;

  AdminHandler(Emulator emulator, TaskStore store) {
    this.emulator = emulator;
    this.store = store;
  }

  void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES);
    }
    HttpAnswer answer;
    try {
      answer = answer(path, method, body);
    } catch (BadRequest e) {
      answer = HttpAnswer.error(400, e.getMessage());
    }
    Responder.send(exchange, answer);
  }

  private HttpAnswer answer(String path, String method, byte[] body) throws IOException {
    switch (path) {
      case "/_emulator/state":
        return method.equals("GET")
            ? HttpAnswer.json(200, state())
            : HttpAnswer.methodNotAllowed("GET");
      case "/_emulator/faults":
        if (method.equals("GET")) {
          return HttpAnswer.json(200, FaultsJson.write(emulator.faults()));
        }
        if (method.equals("PUT")) {
          emulator.faults(FaultsJson.read(readJson(body)));
          return HttpAnswer.noContent();
        }
        return HttpAnswer.methodNotAllowed("GET, PUT");
      default:
        return HttpAnswer.notFound();
    }
  }

  private ObjectNode state() {
    ObjectNode o = HttpAnswer.JSON.createObjectNode();
    ObjectNode counts = o.putObject("counts");
    for (Map.Entry<String, Long> e : store.countsByStatus().entrySet()) {
      counts.put(e.getKey(), e.getValue());
    }
    o.put("requests", emulator.requestCount());
    ArrayNode tasks = o.putArray("tasks");
    Instant now = store.now();
    for (TaskRecord r : store.all()) {
      tasks
          .addObject()
          .put("id", r.id)
          .put("status", r.stateAt(now).status())
          .put("stopCalls", r.stopCalls())
          .put("successfulStops", r.successfulStops());
    }
    return o;
  }

  private static JsonNode readJson(byte[] body) {
    try {
      return HttpAnswer.JSON.readTree(body);
    } catch (IOException e) {
      throw new BadRequest("Invalid JSON body");
    }
  }
}
