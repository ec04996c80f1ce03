package dev.lastcall.agent.cli;

import dev.lastcall.TaskIds;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The task ids a command names, checked by the same rule the registry and the client apply. */
final class TaskIdOperands {
  private TaskIdOperands() {}

  /** Returns the ids without repeats, in order, or throws naming the first bad one. */
  static List<String> require(String command, List<String> operands) throws UsageException {
    if (operands.isEmpty()) {
      throw new UsageException(
          command
              + " needs at least one task id, as: "
              + command
              + " ID [ID...]"
              + " (put -- before ids that start with '-')");
    }
    for (String id : operands) {
      String problem = TaskIds.problem(id);
      if (problem != null) {
        throw new UsageException(problem);
      }
    }
    return new ArrayList<>(new LinkedHashSet<>(operands));
  }
}
