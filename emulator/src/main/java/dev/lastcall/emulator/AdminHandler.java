package dev.lastcall.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * Serves {@code /_emulator/...} for the CLI and the demo: no authentication, no faults, no latency.
 *
 * <ul>
 *   <li>{@code GET /_emulator/state}: counts by status, requests served, connections and HTTP/2
 *       streams by protocol, every task's id, status and stop calls:
 *       <pre>{@code
 * {"counts": {"stopped": 3}, "requests": 7,
 *  "connections": {"http/1.1": 1, "h2": 2},      // accepted since start
 *  "openConnections": {"http/1.1": 1, "h2": 1},  // open now
 *  "streams": {"h2": 6},                         // requests over h2 since start, this one too
 *  "tasks": [{"id": "...", "family": "cloud", "status": "stopped", "stopCalls": 1,
 *             "successfulStops": 1}]}                // then the v1 runs, "family": "v1"
 * }</pre>
 *   <li>{@code GET /_emulator/faults}: the faults in force;
 *   <li>{@code PUT /_emulator/faults}: replaces them (204).
 * </ul>
 */
final class AdminHandler {
  private final Emulator emulator;

  AdminHandler(Emulator emulator) {
    this.emulator = emulator;
  }

  void handle(Exchange exchange) {
    exchange.send(
        Responder.compute(() -> answer(exchange.rawPath(), exchange.method(), exchange.body())));
  }

  private HttpAnswer answer(String path, String method, byte[] body) {
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
    for (Map.Entry<String, Long> e : emulator.countsByStatus().entrySet()) {
      counts.put(e.getKey(), e.getValue());
    }
    o.put("requests", emulator.requestCount());
    putAll(o.putObject("connections"), emulator.connectionCounts());
    putAll(o.putObject("openConnections"), emulator.openConnectionCounts());
    putAll(o.putObject("streams"), emulator.streamCounts());
    ArrayNode tasks = o.putArray("tasks");
    for (TaskView t : emulator.tasks()) {
      tasks
          .addObject()
          .put("id", t.id())
          .put("family", t.family())
          .put("status", t.status())
          .put("stopCalls", t.stopCalls())
          .put("successfulStops", t.successfulStops());
    }
    return o;
  }

  private static void putAll(ObjectNode node, Map<String, Long> counts) {
    counts.forEach(node::put);
  }

  private static JsonNode readJson(byte[] body) {
    if (body == null) {
      throw new BadRequest("Invalid JSON body"); // larger than any faults document
    }
    try {
      return HttpAnswer.JSON.readTree(body);
    } catch (IOException e) {
      throw new BadRequest("Invalid JSON body");
    }
  }
}
