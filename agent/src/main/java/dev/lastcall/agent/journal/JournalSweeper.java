package dev.lastcall.agent.journal;

import java.io.IOException;

/**
 * One sweep of a journal store: claims what JVMs that are gone left, cancels it with {@code
 * canceller}'s bounded cancel, forgets what is confirmed finished and keeps the rest for the next
 * sweep. A running JVM's records are never touched.
 */
public interface JournalSweeper extends AutoCloseable {
  /**
   * Sweeps once.
   *
   * @throws IOException if the store cannot be read at all (a directory that cannot be listed,
   *     Redis unreachable); nothing was claimed then
   */
  SweepResult sweep(JournalSweep.Canceller canceller) throws IOException;

  /** Releases connections; a directory sweeper has none. */
  @Override
  default void close() {}
}
