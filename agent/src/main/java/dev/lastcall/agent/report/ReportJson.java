package dev.lastcall.agent.report;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders the JSON report: {@code {"deadlineMs", "durationMs", "counts": {"STOPPED": n, ...},
 * "tasks": [{"id", "family", "outcome", "httpStatus", "attempts", "ms", "detail", "found"}]}}.
 * {@code id} is the task's key (a cloud task's id, {@code v1/RUNID} for a v1 run, so reports older
 * readers know stay the same), {@code family} {@code cloud} or {@code v1}, {@code httpStatus} the
 * status code of the last answer about the task (0 when none came; added in issue 13). {@code
 * found} (added in issue 10; absent where unknown, as in the commands' reports) says how the agent
 * knew of the task: {@code api}, {@code joined} (from another class loader's registry at attach) or
 * {@code tracking}.
 *
 * <p>Written by hand rather than with Jackson: the shape is fixed and small, and the hook should
 * not depend on a serializer's reflection and lazy class loading while the JVM shuts down.
 */
public final class ReportJson {
  private ReportJson() {}

  public static String render(CancelReport report) {
    return render(report, id -> null);
  }

  /**
   * The report with each task's {@code found} field: {@code found} gives the word for an id, or
   * null to leave the field out.
   */
  public static String render(CancelReport report, Function<String, String> found) {
    StringBuilder out = new StringBuilder(128 + report.tasks().size() * 96);
    out.append("{\"deadlineMs\":")
        .append(report.deadline().toMillis())
        .append(",\"durationMs\":")
        .append(report.duration().toMillis())
        .append(",\"counts\":{");
    boolean first = true;
    for (Map.Entry<Outcome, Integer> count : report.counts().entrySet()) {
      out.append(first ? "" : ",")
          .append('"')
          .append(count.getKey().name())
          .append("\":")
          .append(count.getValue());
      first = false;
    }
    out.append("},\"tasks\":[");
    first = true;
    for (TaskOutcome task : report.tasks()) {
      out.append(first ? "\n" : ",\n").append("{\"id\":");
      string(out, task.id());
      out.append(",\"family\":\"").append(task.family().label());
      out.append("\",\"outcome\":\"")
          .append(task.outcome().name())
          .append("\",\"httpStatus\":")
          .append(task.httpStatus())
          .append(",\"attempts\":")
          .append(task.attempts())
          .append(",\"ms\":")
          .append(task.elapsed().toMillis())
          .append(",\"detail\":");
      string(out, task.detail());
      String how = found.apply(task.id());
      if (how != null) {
        out.append(",\"found\":");
        string(out, how);
      }
      out.append('}');
      first = false;
    }
    return out.append("]}\n").toString();
  }

  static void string(StringBuilder out, String value) {
    if (value == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}
