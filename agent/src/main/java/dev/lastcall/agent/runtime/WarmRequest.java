package dev.lastcall.agent.runtime;

import dev.lastcall.Family;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.client.PreparedClient;
import dev.lastcall.client.TaskNotFoundException;
import dev.lastcall.client.UnauthorizedException;
import java.io.IOException;

/**
 * The one request the agent makes while the application runs, to open the connection the shutdown
 * will use: {@code GET /api/tasks/{id}/status} for a registered task. Read-only and documented. Its
 * answer is of use only when it says something the user should know before the shutdown: a refused
 * key (401) or an unknown task (404), each one stderr line. Anything else (5xx, 429, a network
 * failure) is for the shutdown's cancel to retry and report.
 *
 * <p>A class of its own, loaded on the preparation thread: it names client types, which premain's
 * classes must not.
 */
final class WarmRequest {
  private WarmRequest() {}

  static void send(PreparedClient client, String id) {
    try {
      client.openConnection(id);
    } catch (UnauthorizedException e) {
      AgentLog.line(
          "the API key was refused (HTTP 401) when the agent asked for the status of task "
              + id
              + ": no task of its family can be cancelled with it; set a valid key in "
              + (id.startsWith(Family.V1.keyPrefix())
                  ? "BLACKBOX_AGENT_API_KEY or agentApiKeyFile"
                  : "BLACKBOX_API_KEY or apiKeyFile"));
    } catch (TaskNotFoundException e) {
      AgentLog.line(
          "task "
              + id
              + " is unknown to the API (HTTP 404, or 403 for a v1 run, when the agent asked for"
              + " its status): it cannot be cancelled with this key; check the id, and that the key"
              + " is of the account that created the task");
    } catch (IOException | RuntimeException e) {
      // Not the user's to act on yet: the shutdown's cancel retries and reports what it finds.
    }
  }
}
