package dev.lastcall.client.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lastcall.client.Task;
import dev.lastcall.client.TaskStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Reads Tasks API bodies: never more than {@link #MAX_BODY_BYTES} of any body, parses them with
 * Jackson's streaming parser into plain JDK values (maps, lists, strings, numbers, booleans), then
 * maps those by hand. Mapping by hand keeps shape checks explicit and means an unknown field can
 * never fail a call; using jackson-core alone, not data binding, keeps about a thousand classes out
 * of the agent jar, which every JVM that attaches the agent opens at start.
 */
public final class JsonBodies {
  /** 1 MiB: real answers are well under 2 KiB; anything bigger is a broken or hostile server. */
  public static final long MAX_BODY_BYTES = 1L << 20;

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonBodies() {}

  /** A body that cannot be used. The message is a few words saying why, safe to show anywhere. */
  public static final class Malformed extends Exception {
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
  public static Object read(ResponseBody body) throws IOException, Malformed {
    if (body.contentLength() > MAX_BODY_BYTES) {
      throw new Malformed("body larger than 1 MiB");
    }
    BufferedSource source = body.source();
    // request() buffers up to n bytes and stops: a 10 MB body costs 1 MiB + 1 byte, not 10 MB.
    if (source.request(MAX_BODY_BYTES + 1)) {
      throw new Malformed("body larger than 1 MiB");
    }
    return parse(source.getBuffer().readByteArray());
  }

  /**
   * Parses {@code bytes} as one JSON value, as JDK types (objects as maps, arrays as lists, JSON
   * null as Java null).
   *
   * @throws Malformed if {@code bytes} are empty, larger than 1 MiB or not JSON
   */
  public static Object parse(byte[] bytes) throws Malformed {
    if (bytes.length == 0) {
      throw new Malformed("empty body");
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new Malformed("body larger than 1 MiB");
    }
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new Malformed("body is not JSON");
      }
      Object root = value(parser, first);
      if (parser.nextToken() != null) {
        throw new Malformed("body is not JSON"); // trailing content after the value
      }
      return root;
    } catch (JacksonException e) {
      throw new Malformed("body is not JSON");
    } catch (IOException e) {
      throw new Malformed("body is not JSON"); // from a byte array: only a parse can fail
    }
  }

  /** The value starting at {@code token}, as JDK types; JSON null is Java null. */
  private static Object value(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        {
          Map<String, Object> object = new HashMap<>();
          for (JsonToken next = parser.nextToken();
              next != JsonToken.END_OBJECT;
              next = parser.nextToken()) {
            String name = parser.currentName();
            object.put(name, value(parser, parser.nextToken()));
          }
          return object;
        }
      case START_ARRAY:
        {
          List<Object> array = new ArrayList<>();
          for (JsonToken next = parser.nextToken();
              next != JsonToken.END_ARRAY;
              next = parser.nextToken()) {
            array.add(value(parser, next));
          }
          return array;
        }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return parser.getNumberValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new JsonParseException(parser, "unexpected " + token);
    }
  }

  /** The {@code task} object of a get or stop answer. */
  public static Task taskEnvelope(Object root) throws Malformed {
    Object task = object(root, "body").get("task");
    if (task == null) {
      throw new Malformed("no \"task\" in body");
    }
    return task(task);
  }

  public static Task task(Object value) throws Malformed {
    Map<String, Object> node = object(value, "\"task\"");
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
  public static TaskStatus status(Object value, String requestedId) throws Malformed {
    Map<String, Object> root = object(value, "body");
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

  /** The v1 Agent API's finished run statuses, which never change again. */
  public static final Set<String> RUN_FINISHED =
      Set.of("completed", "failed", "cancelled", "interrupted");

  /**
   * A v1 run's status answer {@code {"runId", "status", "progress", "error", "startedAt",
   * "completedAt"}} as a {@link TaskStatus}: {@code startedAt} stands in for {@code createdAt}, and
   * {@code isDone} is true for the finished run statuses. Unknown statuses are not finished.
   */
  public static TaskStatus runStatus(Object value, String requestedId) throws Malformed {
    Map<String, Object> root = object(value, "body");
    String runId = string(root, "runId", false);
    String status = string(root, "status", true);
    boolean done = RUN_FINISHED.contains(status);
    return new TaskStatus(
        runId != null ? runId : requestedId,
        status,
        integer(root, "progress"),
        !done,
        done,
        string(root, "error", false),
        string(root, "startedAt", false),
        null,
        string(root, "completedAt", false),
        null);
  }

  /**
   * The {@code status} of a flat v1 Agent API answer: the cancel's {@code {"success", "status",
   * "message"}} or the status read's {@code {"runId", "status", ...}}.
   */
  public static String flatStatus(Object value) throws Malformed {
    return string(object(value, "body"), "status", true);
  }

  /**
   * The {@code error} text of an error answer, or null if the body is missing, unreadable, too
   * large or carries none. Never throws: an error answer is classified by its status code, and its
   * body only adds words.
   */
  public static String errorText(ResponseBody body) {
    try {
      Object root = read(body);
      Object error = root instanceof Map ? ((Map<?, ?>) root).get("error") : null;
      return error instanceof String ? (String) error : null;
    } catch (IOException | Malformed | RuntimeException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object node, String what) throws Malformed {
    if (!(node instanceof Map)) {
      throw new Malformed(what + " is not a JSON object");
    }
    return (Map<String, Object>) node;
  }

  private static String string(Map<String, Object> node, String name, boolean required)
      throws Malformed {
    Object value = node.get(name);
    if (value == null) {
      if (required) {
        throw new Malformed("no \"" + name + "\" in body");
      }
      return null;
    }
    if (!(value instanceof String)) {
      throw new Malformed("\"" + name + "\" is not a string");
    }
    return (String) value;
  }

  private static Integer integer(Map<String, Object> node, String name) throws Malformed {
    Object value = node.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number)) {
      throw new Malformed("\"" + name + "\" is not a number");
    }
    return ((Number) value).intValue();
  }

  private static boolean bool(Map<String, Object> node, String name) throws Malformed {
    Object value = node.get(name);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean)) {
      throw new Malformed("\"" + name + "\" is not a boolean");
    }
    return (Boolean) value;
  }
}
