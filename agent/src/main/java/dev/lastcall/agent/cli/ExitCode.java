package dev.lastcall.agent.cli;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;

/** The command line's exit codes, as {@code --help} documents them. */
final class ExitCode {
  /**
   * Every task confirmed stopped or already done (sweep: nothing left; status: every status read).
   */
  static final int OK = 0;

  /**
   * Some task not confirmed: timed out, failed, not found; or the sweep left tasks for the next
   * one.
   */
  static final int NOT_ALL_CONFIRMED = 1;

  /** Bad arguments or configuration. */
  static final int USAGE = 2;

  /** No API key, or the API refused it (401). */
  static final int NO_KEY_OR_UNAUTHORIZED = 3;

  /**
   * attach: the agent could not be loaded (no such process, another user's, not a JVM that accepts
   * attach, dynamic agent loading disabled). tasks: the same, or the JVM has no Lastcall agent.
   */
  static final int NOT_ATTACHED = 4;

  /**
   * attach: the agent is already in that JVM (-javaagent or an earlier attach); nothing changed.
   */
  static final int ALREADY_ATTACHED = 5;

  private ExitCode() {}

  /** The exit code a cancel's outcomes call for: 3 if the key was refused, else 0 or 1. */
  static int of(CancelReport report, boolean finishedEnough) {
    if (report.count(Outcome.UNAUTHORIZED) > 0) {
      return NO_KEY_OR_UNAUTHORIZED;
    }
    return finishedEnough ? OK : NOT_ALL_CONFIRMED;
  }
}
