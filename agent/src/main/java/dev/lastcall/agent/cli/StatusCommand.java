package dev.lastcall.agent.cli;

import dev.lastcall.Family;
import dev.lastcall.TaskRef;
import dev.lastcall.client.TaskNotFoundException;
import dev.lastcall.client.TaskStatus;
import dev.lastcall.client.TasksClient;
import dev.lastcall.client.UnauthorizedException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code status ID|v1/RUNID...}: one {@link TaskLine} per task from {@code GET
 * /api/tasks/{id}/status} (a v1 run's from {@code GET {agentBaseUrl}/tasks/{runId}/status}), asked
 * one after another, each call bounded by {@code timeout}. Changes nothing.
 */
final class StatusCommand {
  private StatusCommand() {}

  static int run(List<String> ids, TasksClient client, PrintStream out, PrintStream err) {
    int code = ExitCode.OK;
    for (String id : ids) {
      try {
        TaskStatus status = client.status(TaskRef.parse(id));
        out.println(
            TaskLine.render(
                id,
                status.status(),
                (status.isDone() ? "done" : "not done")
                    + (status.progress() == null ? "" : ", progress " + status.progress() + "%")
                    + (status.error() == null ? "" : ", error: " + status.error())));
      } catch (UnauthorizedException e) {
        err.println(
            id.startsWith(Family.V1.keyPrefix())
                ? "lastcall: the v1 Agent API refused the key (HTTP 401); set"
                    + " BLACKBOX_AGENT_API_KEY or --agentApiKeyFile to a valid key"
                : "lastcall: the API refused the key (HTTP 401); set BLACKBOX_API_KEY or"
                    + " --apiKeyFile to a valid key");
        return ExitCode.NO_KEY_OR_UNAUTHORIZED;
      } catch (TaskNotFoundException e) {
        out.println(TaskLine.render(id, "not_found", "no such task (HTTP " + e.statusCode() + ")"));
        code = ExitCode.NOT_ALL_CONFIRMED;
      } catch (IOException | RuntimeException e) {
        out.println(TaskLine.render(id, "unknown", "status not read: " + e.getMessage()));
        code = ExitCode.NOT_ALL_CONFIRMED;
      }
    }
    return code;
  }
}
