package dev.lastcall.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lastcall.client.TaskStatus;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {
  static final MediaType JSON = MediaType.get("application/json");

  @Test
  void declaredLengthOverTheCapIsRefusedUnread() {
    Buffer source = new Buffer().writeUtf8("{}");
    ResponseBody body = ResponseBody.create(source, JSON, 2L << 20);

    assertEquals(
        "body larger than 1 MiB",
        assertThrows(JsonBodies.Malformed.class, () -> JsonBodies.read(body)).getMessage());
    assertEquals(2, source.size(), "nothing was read");
  }

  @Test
  void exactlyOneMebibyteIsAccepted() throws Exception {
    StringBuilder json = new StringBuilder("\"");
    while (json.length() < JsonBodies.MAX_BODY_BYTES - 1) {
      json.append('a');
    }
    json.append('"');
    assertEquals(JsonBodies.MAX_BODY_BYTES, json.length());

    assertEquals(
        JsonBodies.MAX_BODY_BYTES - 2,
        ((String)
                JsonBodies.read(
                    ResponseBody.create(new Buffer().writeUtf8(json.toString()), JSON, -1)))
            .length());
  }

  @Test
  void trailingGarbageIsNotJson() {
    assertThrows(
        JsonBodies.Malformed.class, () -> JsonBodies.read(ResponseBody.create("{} x", JSON)));
  }

  @Test
  void errorTextIsNullWhenAbsentOrUnreadable() {
    assertEquals(
        "Task not found",
        JsonBodies.errorText(ResponseBody.create("{\"error\":\"Task not found\"}", JSON)));
    assertNull(JsonBodies.errorText(ResponseBody.create("<html>", JSON)));
    assertNull(JsonBodies.errorText(ResponseBody.create("{\"error\":{}}", JSON)));
    assertNull(JsonBodies.errorText(ResponseBody.create("", JSON)));
  }

  @Test
  void statusWithoutTaskIdUsesTheRequestedId() throws Exception {
    TaskStatus status =
        JsonBodies.status(
            JsonBodies.read(ResponseBody.create("{\"status\":\"saving\"}", JSON)), "abc");
    assertEquals("abc", status.taskId());
    assertEquals(false, status.isDone());
  }
}
