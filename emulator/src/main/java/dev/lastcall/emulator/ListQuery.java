package dev.lastcall.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The checked query of {@code GET /api/tasks}: limit 1..100 (50), offset 0.. (0), filter, status.
 */
record ListQuery(int limit, int offset, String filter, String status) {

  private static final Set<String> FILTERS = Set.of("all", "tasks", "batch");
  private static final Set<String> STATUSES = Set.of("active", "completed", "failed", "stopped");

  static ListQuery parse(String rawQuery) {
    Map<String, String> params = params(rawQuery);
    int limit = integer(params, "limit", 50, 1, 100);
    int offset = integer(params, "offset", 0, 0, Integer.MAX_VALUE);
    String filter = params.getOrDefault("filter", "all");
    if (!FILTERS.contains(filter)) {
      throw new BadRequest("filter must be one of all, tasks, batch");
    }
    String status = params.get("status");
    if (status != null && !STATUSES.contains(status)) {
      throw new BadRequest("status must be one of active, completed, failed, stopped");
    }
    return new ListQuery(limit, offset, filter, status);
  }

  /** Whether a task in {@code taskStatus} belongs in the answer. */
  Predicate<String> matcher() {
    // The emulator makes no batch tasks, so "batch" matches none and "tasks" matches all.
    if (filter.equals("batch")) {
      return s -> false;
    }
    if (status == null) {
      return s -> true;
    }
    switch (status) {
      case "active":
        return TaskStatus::inProgress;
      case "completed":
        return TaskStatus.COMPLETED::equals;
      case "failed":
        return s -> s.equals(TaskStatus.ERROR) || s.equals(TaskStatus.TIMEOUT);
      default:
        return TaskStatus.STOPPED::equals;
    }
  }

  static int integer(Map<String, String> params, String name, int dflt, int min, int max) {
    String raw = params.get(name);
    if (raw == null) {
      return dflt;
    }
    String accepted =
        max == Integer.MAX_VALUE
            ? name + " must be an integer of at least " + min
            : name + " must be an integer between " + min + " and " + max;
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        throw new BadRequest(accepted);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new BadRequest(accepted);
    }
  }

  static Map<String, String> params(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.putIfAbsent(key, value);
    }
    return params;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("Malformed query string");
    }
  }
}
