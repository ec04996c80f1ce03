package dev.lastcall.client.internal;

/**
 * Canned Tasks API answer bodies, shaped exactly as {@code shared/tasks-api.md} documents them for
 * the cloud family: the one copy shared by the client's warm-up run and the tests of the client and
 * the agent.
 *
 * <p><b>Internal, not for applications:</b> public only so that other Lastcall modules can reach
 * it; it may change or go away in any release.
 */
public final class ApiBodies {
  private ApiBodies() {}

  /** {@code PATCH /api/tasks/{id}} with {@code {"action":"stop"}}: 200, the task stopped. */
  public static String stopped(String id) {
    return "{\"message\":\"Task stopped successfully\",\"task\":{\"id\":\""
        + escape(id)
        + "\",\"userId\":\"user_1\",\"status\":\"stopped\",\"error\":\"Task was stopped by user\","
        + "\"updatedAt\":\"2025-06-01T10:00:05.000Z\",\"completedAt\":\"2025-06-01T10:00:05.000Z\"}}";
  }

  /** {@code GET /api/tasks/{id}/status}: 200, the polling view of a task. */
  public static String status(String id, String status, boolean isDone) {
    return "{\"taskId\":\""
        + escape(id)
        + "\",\"status\":\""
        + escape(status)
        + "\",\"progress\":40,\"inProgress\":"
        + !isDone
        + ",\"isDone\":"
        + isDone
        + ",\"error\":null,\"createdAt\":\"2025-06-01T10:00:00.000Z\","
        + "\"updatedAt\":\"2025-06-01T10:00:04.000Z\",\"completedAt\":null,\"duration\":\"900s\"}";
  }

  /** {@code POST /api/tasks}: 200, the new task in its envelope, pending. */
  public static String created(String id) {
    return "{\"task\":{\"id\":\""
        + escape(id)
        + "\",\"status\":\"pending\",\"progress\":0,"
        + "\"logs\":[],\"sandboxId\":null,\"createdAt\":\"2025-06-01T10:00:00.000Z\"}}";
  }

  /** Any error answer (400, 403, 404, 429, 500, ...): the flat {@code {"error": text}} object. */
  public static String error(String text) {
    return "{\"error\":\"" + escape(text) + "\"}";
  }

  /** 401: the error object with the {@code message} and {@code status} the API adds to it. */
  public static String unauthorized() {
    return "{\"error\":\"Unauthorized\",\"message\":\"Invalid or missing API key\",\"status\":401}";
  }

  /** JSON string content for {@code text}: the canned bodies stay valid JSON whatever is passed. */
  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
