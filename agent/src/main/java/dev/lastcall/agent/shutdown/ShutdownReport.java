package dev.lastcall.agent.shutdown;

import dev.lastcall.CancelReport;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.report.ReportFile;
import dev.lastcall.agent.report.ReportJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/** Writes the shutdown's JSON report where {@code report=PATH} says; a failure is one line. */
final class ShutdownReport {
  private ShutdownReport() {}

  static void writeIfConfigured(AgentConfig config, CancelReport report) {
    writeIfConfigured(config, report, id -> null);
  }

  /** With each task's {@code found} field, as {@link ReportJson#render(CancelReport, Function)}. */
  static void writeIfConfigured(
      AgentConfig config, CancelReport report, Function<String, String> found) {
    Path path = config.report().orElse(null);
    if (path == null) {
      return;
    }
    try {
      ReportFile.write(path, ReportJson.render(report, found));
    } catch (IOException | RuntimeException e) {
      AgentLog.line("could not write the report to " + path + ": " + e);
    }
  }
}
