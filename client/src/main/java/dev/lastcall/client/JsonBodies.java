package dev.lastcall.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Reads Tasks API bodies: never more than {@link #MAX_BODY_BYTES} of any body, then maps the JSON
 * tree by hand. Mapping by hand (rather than data binding) keeps shape checks explicit, means an
 * unknown field can never fail a call, and loads far fewer classes inside a shutdown hook.
 */
final class JsonBodies {
  /** 1 MiB: real answers are well under 2 KiB; anything bigger is a broken or hostile server. */
  static final long MAX_BODY_BYTES = 1L << 20;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBodies() {}

  /** A body that cannot be used. The message is a few words saying why, safe to show anywhere. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String reason) {
      super(reason, null, false, false); // No stack trace: this is an expected answer, not a bug.
    }
  }

  /**
   * Reads at most 1 MiB of {@code body} and parses it as JSON.
   *
   * @throws IOException if the transport fails while reading
   * @throws Malformed if the body is empty, too large or not JSON
   */
  static JsonNode read(ResponseBody body) throws IOException, Malformed {
    if (body.contentLength() > MAX_BODY_BYTES) {
      throw new Malformed("body larger than 1 MiB");
    }
    BufferedSource source = body.source();
    // request() buffers up to n bytes and stops: a 10 MB body costs 1 MiB + 1 byte, not 10 MB.
    if (source.request(MAX_BODY_BYTES + 1)) {
      throw new Malformed("body larger than 1 MiB");
    }
    byte[] bytes = source.getBuffer().readByteArray();
    if (bytes.length == 0) {
      throw new Malformed("empty body");
    }
    try {
      return MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new Malformed("body is not JSON");
    }
  }

  /** The {@code task} object of a get or stop answer. */
  static Task taskEnvelope(JsonNode root) throws Malformed {
    requireObject(root, "body");
    JsonNode task = root.get("task");
    if (task == null || task.isNull()) {
      throw new Malformed("no \"task\" in body");
    }
    return task(task);
  }

  static Task task(JsonNode node) throws Malformed {
    requireObject(node, "\"task\"");
    return new Task(
        string(node, "id", true),
        string(node, "userId", false),
        string(node, "status", true),
        integer(node, "progress"),
        string(node, "error", false),
        string(node, "createdAt", false),
        string(node, "updatedAt", false),
        string(node, "completedAt", false));
  }

  /** A status answer. {@code requestedId} stands in if the server left {@code taskId} out. */
  static TaskStatus status(JsonNode root, String requestedId) throws Malformed {
    requireObject(root, "body");
    String taskId = string(root, "taskId", false);
    return new TaskStatus(
        taskId != null ? taskId : requestedId,
        string(root, "status", true),
        integer(root, "progress"),
        bool(root, "inProgress"),
        bool(root, "isDone"),
        string(root, "error", false),
        string(root, "createdAt", false),
        string(root, "updatedAt", false),
        string(root, "completedAt", false),
        string(root, "duration", false));
  }

  /**
   * The {@code error} text of an error answer, or null if the body is missing, unreadable, too
   * large or carries none. Never throws: an error answer is classified by its status code, and
   * its body only adds words.
   */
  static String errorText(ResponseBody body) {
    try {
      JsonNode error = read(body).get("error");
      return error != null && error.isTextual() ? error.textValue() : null;
    } catch (IOException | Malformed | RuntimeException e) {
      return null;
    }
  }

  private static void requireObject(JsonNode node, String what) throws Malformed {
    if (!node.isObject()) {
      throw new Malformed(what + " is not a JSON object");
    }
  }

  private static String string(JsonNode node, String name, boolean required) throws Malformed {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      if (required) {
        throw new Malformed("no \"" + name + "\" in body");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new Malformed("\"" + name + "\" is not a string");
    }
    return value.textValue();
  }

  private static Integer integer(JsonNode node, String name) throws Malformed {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw new Malformed("\"" + name + "\" is not a number");
    }
    return value.intValue();
  }

  private static boolean bool(JsonNode node, String name) throws Malformed {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new Malformed("\"" + name + "\" is not a boolean");
    }
    return value.booleanValue();
  }
}
