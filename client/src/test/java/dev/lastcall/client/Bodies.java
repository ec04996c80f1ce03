package dev.lastcall.client;

import dev.lastcall.client.internal.ApiBodies;
import mockwebserver3.MockResponse;

/** MockResponses carrying the Tasks API answers of {@link ApiBodies}, and a 10 MB body. */
public final class Bodies {
  private Bodies() {}

  public static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  public static MockResponse stoppedAnswer(String id) {
    return json(200, ApiBodies.stopped(id));
  }

  public static MockResponse statusAnswer(String id, String status, boolean isDone) {
    return json(200, ApiBodies.status(id, status, isDone));
  }

  public static MockResponse notStoppable() {
    return json(400, ApiBodies.error("Task can only be stopped when it is in progress"));
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
