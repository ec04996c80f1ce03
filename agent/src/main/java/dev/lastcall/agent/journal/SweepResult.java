package dev.lastcall.agent.journal;

import dev.lastcall.CancelReport;
import java.util.List;

/**
 * What one sweep of a journal store did.
 *
 * @param where the journal directory, or the Redis URL without user or password
 * @param journalsSwept journals of gone JVMs that were read and cancelled
 * @param journalsInUse journals left alone because their JVM (or another sweeper) holds their lock
 *     or lease
 * @param report the cancel of every live task found, one entry per distinct id
 * @param tasksLeft tasks kept in journals for the next sweep (not confirmed finished)
 * @param notes one line per journal left alone for another reason, or damage found and skipped
 */
public record SweepResult(
    String where,
    int journalsSwept,
    int journalsInUse,
    CancelReport report,
    int tasksLeft,
    List<String> notes) {

  /**
   * True when every task found was confirmed finished or gone and nothing is left for a next sweep.
   */
  public boolean clean() {
    return tasksLeft == 0;
  }
}
