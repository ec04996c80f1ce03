package dev.lastcall.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;

/**
 * One of the two task APIs the emulator serves ({@link CloudTasks} under {@code /api/tasks}, {@link
 * AgentRuns} under {@code /api/v1/tasks}): its routes and answers. The faults are not the family's
 * business: {@link ApiHandler} injects them in front of either.
 */
interface ApiFamily {
  /** True for the family's cancel call: a {@code PATCH} naming one task. */
  boolean isCancelCall(String method, String rawPath);

  /** The task a cancel call names, if it exists, to count its cancel calls. */
  Optional<TaskRecord> cancelTarget(String rawPath);

  /** The error text of an injected 500 on a cancel call. */
  String cancelFailure();

  /** The documented answer; computed when it is sent, so it reflects the state at that time. */
  HttpAnswer answer(String method, String rawPath, String authorization, String query, byte[] body);

  /** A request body as a JSON object, or a {@link BadRequest} with {@code errorMessage}. */
  static JsonNode parse(byte[] body, String errorMessage) {
    if (body == null) {
      throw new BadRequest("Request body too large");
    }
    try {
      JsonNode json = HttpAnswer.JSON.readTree(body);
      if (json == null || !json.isObject()) {
        throw new BadRequest(errorMessage);
      }
      return json;
    } catch (IOException e) {
      throw new BadRequest(errorMessage);
    }
  }
}
