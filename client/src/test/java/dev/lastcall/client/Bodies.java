package dev.lastcall.client;

import mockwebserver3.MockResponse;

/** JSON answers as the Tasks API sends them, and MockResponses carrying them. */
public final class Bodies {
  private Bodies() {}

  public static String stopped(String id) {
    return "{\"message\":\"Task stopped successfully\",\"task\":{\"id\":\""
        + id
        + "\",\"userId\":\"user_1\",\"status\":\"stopped\",\"error\":\"Task was stopped by user\","
        + "\"updatedAt\":\"2025-06-01T10:00:05.000Z\",\"completedAt\":\"2025-06-01T10:00:05.000Z\"}}";
  }

  public static String status(String id, String status, boolean isDone) {
    return "{\"taskId\":\""
        + id
        + "\",\"status\":\""
        + status
        + "\",\"progress\":40,\"inProgress\":"
        + !isDone
        + ",\"isDone\":"
        + isDone
        + ",\"error\":null,\"createdAt\":\"2025-06-01T10:00:00.000Z\","
        + "\"updatedAt\":\"2025-06-01T10:00:04.000Z\",\"completedAt\":null,\"duration\":\"900s\"}";
  }

  public static String error(String text) {
    return "{\"error\":\"" + text + "\"}";
  }

  public static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  public static MockResponse stoppedAnswer(String id) {
    return json(200, stopped(id));
  }

  public static MockResponse statusAnswer(String id, String status, boolean isDone) {
    return json(200, status(id, status, isDone));
  }

  public static MockResponse notStoppable() {
    return json(400, error("Task can only be stopped when it is in progress"));
  }

  /** 10 MB of JSON-looking bytes, chunked so no Content-Length gives the size away. */
  public static MockResponse tenMegabytes() {
    StringBuilder big = new StringBuilder(10_000_016).append("{\"pad\":\"");
    while (big.length() < 10_000_000) {
      big.append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    }
    big.append("\"}");
    return new MockResponse.Builder().code(200).chunkedBody(big.toString(), 64 * 1024).build();
  }
}
