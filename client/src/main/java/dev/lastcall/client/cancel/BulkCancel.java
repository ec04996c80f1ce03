package dev.lastcall.client.cancel;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;

/**
 * One deadline-bounded cancel of many tasks, fed incrementally. Made by {@code
 * TasksClient.startCancelAll(deadline)}; the deadline clock starts then.
 *
 * <p>Each submitted task is cancelled at once, in parallel with the others, following the same
 * per-task rules as {@code TasksClient.cancelAll}. Nothing here waits on the network beyond the
 * deadline: waits are measured on this object's own clock, not on HTTP timeouts, because a DNS
 * lookup cannot be interrupted.
 *
 * <p>Safe for use from several threads.
 */
public interface BulkCancel {
  /**
   * Starts cancelling {@code id} at once.
   *
   * @return true if the id was accepted: false if it was submitted before or {@link #finish()} was
   *     called. After the deadline an id is still accepted but recorded {@link Outcome#TIMED_OUT}
   *     with no attempt made.
   * @throws IllegalArgumentException if {@code id} is not a valid task id
   */
  boolean submit(String id);

  /**
   * Blocks until every id submitted so far is settled, or the deadline passes, whichever is first.
   * Never waits past the deadline. If the calling thread is interrupted, returns early with its
   * interrupt status set.
   *
   * @return true if every submitted id is settled
   */
  boolean awaitSettled();

  /**
   * Stops accepting ids, cancels calls in flight, records every unsettled id as {@link
   * Outcome#TIMED_OUT} and returns the report. Returns promptly, never waiting on the network.
   * Idempotent: later calls return the same report.
   */
  CancelReport finish();
}
