package dev.lastcall.agent.cli;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import java.util.Locale;
import java.util.Map;

/** {@code 3 stopped, 0 already done, 1 not found, 0 unauthorized, 0 failed, 0 timed out}. */
final class OutcomeCounts {
  private OutcomeCounts() {}

  static String render(CancelReport report) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<Outcome, Integer> count : report.counts().entrySet()) {
      out.append(out.length() == 0 ? "" : ", ")
          .append(count.getValue())
          .append(' ')
          .append(count.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
    return out.toString();
  }

  /** The exit code a cancel's outcomes call for. */
  static int exitCode(CancelReport report, boolean finishedEnough) {
    if (report.count(Outcome.UNAUTHORIZED) > 0) {
      return ExitCode.NO_KEY_OR_UNAUTHORIZED;
    }
    return finishedEnough ? ExitCode.OK : ExitCode.NOT_ALL_CONFIRMED;
  }
}
