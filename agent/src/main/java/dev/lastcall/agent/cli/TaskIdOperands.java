package dev.lastcall.agent.cli;

import dev.lastcall.TaskIds;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The tasks a command names, checked by the same rule the registry and the client apply: a cloud
 * task's id as it is, a v1 Agent API run as {@code v1/RUNID} (its key, as the report and journal
 * name it).
 */
final class TaskIdOperands {
  private TaskIdOperands() {}

  /** Returns the ids without repeats, in order, or throws naming the first bad one. */
  static List<String> require(String command, List<String> operands) throws UsageException {
    if (operands.isEmpty()) {
      throw new UsageException(
          command
              + " needs at least one task id (a cloud task's ID, or v1/RUNID for a v1 run), as: "
              + command
              + " ID|v1/RUNID [...]"
              + " (put -- before ids that start with '-')");
    }
    for (String id : operands) {
      String problem = TaskIds.keyProblem(id);
      if (problem != null) {
        throw new UsageException(problem);
      }
    }
    return new ArrayList<>(new LinkedHashSet<>(operands));
  }
}
