package dev.lastcall.agent.cli;

import dev.lastcall.CancelReport;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.report.ReportFile;
import dev.lastcall.agent.report.ReportJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Writes {@code --report PATH}: the same JSON report, written the same atomic way, as the agent's
 * at shutdown.
 */
final class CliReport {
  private CliReport() {}

  /**
   * Returns false (after saying why on {@code err}) if a report was asked for and could not be
   * written.
   */
  static boolean writeIfAsked(AgentConfig config, CancelReport report, PrintStream err) {
    Path path = config.report().orElse(null);
    if (path == null) {
      return true;
    }
    try {
      ReportFile.write(path, ReportJson.render(report));
      return true;
    } catch (IOException | RuntimeException e) {
      err.println("lastcall: could not write the report to " + path + ": " + e);
      return false;
    }
  }
}
