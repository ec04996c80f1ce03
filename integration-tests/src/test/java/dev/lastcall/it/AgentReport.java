package dev.lastcall.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The agent's JSON report, read with Jackson. */
record AgentReport(
    String raw, long deadlineMs, long durationMs, Map<String, Long> counts, List<Entry> tasks) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One task's line in the report; {@code found} ({@code api}, {@code joined}, {@code tracking}) is
   * null where the report has none, {@code httpStatus} -1 where it has none.
   */
  record Entry(
      String id,
      String outcome,
      int attempts,
      long ms,
      String detail,
      String found,
      String family,
      int httpStatus) {}

  static AgentReport read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** A report given as text (the MXBean's operations and attributes return it so). */
  static AgentReport parse(String raw) throws IOException {
    JsonNode root = JSON.readTree(raw);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> count : root.path("counts").properties()) {
      counts.put(count.getKey(), count.getValue().asLong());
    }
    List<Entry> tasks = new ArrayList<>();
    for (JsonNode task : root.path("tasks")) {
      tasks.add(
          new Entry(
              task.path("id").asText(null),
              task.path("outcome").asText(null),
              task.path("attempts").asInt(-1),
              task.path("ms").asLong(-1),
              task.path("detail").isNull() ? null : task.path("detail").asText(null),
              task.path("found").asText(null),
              task.path("family").asText(null),
              task.path("httpStatus").asInt(-1)));
    }
    return new AgentReport(
        raw,
        root.path("deadlineMs").asLong(-1),
        root.path("durationMs").asLong(-1),
        counts,
        List.copyOf(tasks));
  }

  long count(String outcome) {
    return counts.getOrDefault(outcome, 0L);
  }
}
