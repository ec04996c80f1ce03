package dev.lastcall.agent.journal;

import dev.lastcall.CancelReport;

/**
 * The crash journal's promise, whatever its store: every task whose {@code register} returned is
 * recorded somewhere that outlives this JVM, so that after any death of the JVM a sweep can cancel
 * it; what the shutdown cancel settles is forgotten, so a clean exit leaves nothing behind.
 *
 * <p>Two stores keep it: a directory ({@code journal=DIR}, {@link DirectoryJournal}, in the agent
 * jar) and Redis ({@code journal=redis://...}, in {@code lastcall-journal-redis.jar}, opened only
 * when configured). {@link Journals} picks one from the {@code journal} value. No method ever
 * throws: a failure is one line on stderr and the rest of the agent goes on.
 */
public interface CrashJournal {
  /**
   * From premain, before the application's main: subscribes to the registry so that the guarantee
   * holds from the first registration. No network on the calling thread.
   */
  void start();

  /**
   * Once the client is ready: cancels, on a daemon thread of its own, what JVMs that are gone left
   * in the journal.
   *
   * @param canceller {@code ids -> client.cancelAll(ids, config.timeout())}
   */
  void sweepInBackground(JournalSweep.Canceller canceller);

  /** From the shutdown hook, after its cancel: forgets what {@code report} shows finished. */
  void afterShutdownCancel(CancelReport report);

  /** Stops recording (a runtime closed before its JVM ends). */
  void close();

  /** The journal of an agent configured without one: does nothing. */
  CrashJournal NONE = new NoJournal();

  /** A class, not a lambda or anonymous class with captured state: premain loads it. */
  final class NoJournal implements CrashJournal {
    private NoJournal() {}

    @Override
    public void start() {}

    @Override
    public void sweepInBackground(JournalSweep.Canceller canceller) {}

    @Override
    public void afterShutdownCancel(CancelReport report) {}

    @Override
    public void close() {}
  }
}
