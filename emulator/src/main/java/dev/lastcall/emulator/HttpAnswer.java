package dev.lastcall.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A complete HTTP answer, built before it is sent so that it can be sent later from another thread.
 */
record HttpAnswer(int status, byte[] body, Map<String, String> headers) {

  static final ObjectMapper JSON = new ObjectMapper();

  static HttpAnswer json(int status, JsonNode body) {
    return json(status, body, Map.of());
  }

  static HttpAnswer json(int status, JsonNode body, Map<String, String> headers) {
    try {
      return new HttpAnswer(status, JSON.writeValueAsBytes(body), headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree always serialises", e);
    }
  }

  /** The API's usual error shape: {@code {"error": message}}. */
  static HttpAnswer error(int status, String message) {
    return json(status, JSON.createObjectNode().put("error", message));
  }

  static HttpAnswer notFound() {
    return error(404, "Not found");
  }

  static HttpAnswer methodNotAllowed(String allow) {
    return json(
        405, JSON.createObjectNode().put("error", "Method not allowed"), Map.of("Allow", allow));
  }

  static HttpAnswer unauthorized() {
    ObjectNode body =
        JSON.createObjectNode()
            .put("error", "Unauthorized")
            .put("message", "Invalid or missing API key")
            .put("status", 401);
    return json(401, body);
  }

  static HttpAnswer noContent() {
    return new HttpAnswer(204, new byte[0], Map.of());
  }
}
