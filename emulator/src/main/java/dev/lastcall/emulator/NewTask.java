package dev.lastcall.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The validated body of {@code POST /api/tasks}; environment variables are checked but never kept.
 */
record NewTask(
    String prompt,
    String repoUrl,
    String selectedBranch,
    String selectedAgent,
    String selectedModel,
    int maxDuration,
    boolean keepAlive,
    boolean installDependencies) {

  static final Set<String> AGENTS = Set.of("claude", "blackbox", "codex", "gemini");
  static final int MIN_DURATION = 30;
  static final int MAX_DURATION = 600;
  static final int DEFAULT_DURATION = 300;

  /** A task made in-process (no HTTP) with every default. */
  static NewTask ofPrompt(String prompt) {
    if (prompt == null || prompt.isBlank()) {
      throw new IllegalArgumentException("prompt is required");
    }
    return new NewTask(prompt, null, "main", "blackbox", null, DEFAULT_DURATION, false, false);
  }

  /**
   * Reads and checks a request body; throws {@link BadRequest} with the message for the 400 answer.
   */
  static NewTask parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new BadRequest("Request body must be a JSON object");
    }
    JsonNode prompt = body.get("prompt");
    if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
      throw new BadRequest("Prompt is required");
    }
    checkEnvironmentVariables(body);
    String branch = optionalText(body, "selectedBranch");
    String agent = optionalText(body, "selectedAgent");
    if (agent != null && !AGENTS.contains(agent)) {
      throw new BadRequest("selectedAgent must be one of claude, blackbox, codex, gemini");
    }
    return new NewTask(
        prompt.asText(),
        optionalText(body, "repoUrl"),
        branch == null ? "main" : branch,
        agent == null ? "blackbox" : agent,
        optionalText(body, "selectedModel"),
        maxDuration(body.get("maxDuration")),
        optionalBoolean(body, "keepAlive"),
        optionalBoolean(body, "installDependencies"));
  }

  private static int maxDuration(JsonNode node) {
    if (node == null || node.isNull()) {
      return DEFAULT_DURATION;
    }
    // canConvertToExactIntegral accepts 300.0 as well as 300, as JavaScript would.
    if (!node.isNumber()
        || !node.canConvertToExactIntegral()
        || !node.canConvertToInt()
        || node.asInt() < MIN_DURATION
        || node.asInt() > MAX_DURATION) {
      throw new BadRequest(
          "maxDuration must be an integer between " + MIN_DURATION + " and " + MAX_DURATION);
    }
    return node.asInt();
  }

  private static String optionalText(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new BadRequest(field + " must be a string");
    }
    String text = node.asText();
    return text.isEmpty() ? null : text;
  }

  private static boolean optionalBoolean(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw new BadRequest(field + " must be a boolean");
    }
    return node.asBoolean();
  }

  private static void checkEnvironmentVariables(JsonNode body) {
    JsonNode env = body.get("environmentVariables");
    if (env != null && !env.isNull() && !env.isObject() && !env.isArray()) {
      throw new BadRequest("environmentVariables must be an object or an array");
    }
  }
}
