package dev.lastcall.agent.journal;

import dev.lastcall.CancelReport;
import dev.lastcall.TaskOutcome;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.registry.SharedRegistry.Subscription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The {@link CrashJournal} in a directory ({@code journal=DIR}): one append-only file per JVM,
 * locked for the JVM's life, swept by the next JVM (or {@code sweep}) on the same disk. Started in
 * premain, swept from the preparation thread, settled by the shutdown hook. None of its methods
 * ever throws.
 */
final class DirectoryJournal implements CrashJournal {
  /** System property for tests: how many dead records trigger a compaction (default 4096). */
  static final String COMPACT_AFTER_PROPERTY = "dev.lastcall.journal.compactAfter";

  static final int DEFAULT_COMPACT_AFTER = 4096;

  private final Path dir;
  private final SharedRegistry registry;
  private final List<Subscription> subscriptions = new ArrayList<>(2);

  // Held for the JVM's life: the recorder owns the lock that tells sweepers we are alive.
  private volatile JournalRecorder recorder;

  DirectoryJournal(Path dir, SharedRegistry registry) {
    this.dir = dir;
    this.registry = registry;
  }

  /**
   * Opens this JVM's journal and subscribes it to the registry, so the guarantee holds from the
   * very first registration. Local file work only; no network and no client classes.
   */
  @Override
  public void start() {
    if (recorder != null) {
      return;
    }
    try {
      JournalRecorder opened =
          JournalRecorder.open(dir, new RegistryLookup(registry), compactAfter(), AgentLog.LINES);
      // Subscribe first, then record what is already registered (a late attach): an id racing
      // the snapshot is seen by both, and reconcile records it once.
      subscriptions.add(registry.onRegistration(opened));
      subscriptions.add(registry.onDeregistration(opened));
      for (String id : registry.snapshot()) {
        opened.reconcile(id);
      }
      recorder = opened;
    } catch (Throwable t) {
      AgentLog.line(
          "journal is off: could not open a journal in "
              + dir
              + " ("
              + t
              + "); tasks are still cancelled at shutdown, but not after a crash");
    }
  }

  /**
   * Called on the preparation thread once the client is ready: sweeps the journals of JVMs that are
   * gone, on a daemon thread of its own so that the shutdown hook is ready meanwhile. Takes the
   * cancel as a function so that this class, which premain loads, names no client type.
   *
   * @param canceller {@code ids -> client.cancelAll(ids, config.timeout())}
   */
  @Override
  public void sweepInBackground(JournalSweep.Canceller canceller) {
    JournalRecorder own = recorder;
    Thread thread =
        new Thread(
            () -> {
              try {
                SweepSummary.announce(
                    JournalSweep.run(dir, own == null ? null : own.name(), canceller));
              } catch (Throwable t) {
                AgentLog.line("could not sweep the journals in " + dir + ": " + t);
              }
            },
            "lastcall-sweep");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Called by the shutdown hook after its cancel: forgets what is now known finished, and deletes
   * the journal if that is everything, so a clean exit leaves nothing for the next sweep.
   */
  @Override
  public void afterShutdownCancel(CancelReport report) {
    JournalRecorder own = recorder;
    if (own == null) {
      return;
    }
    try {
      List<String> finished = new ArrayList<>();
      for (TaskOutcome task : report.tasks()) {
        if (task.outcome().isFinal()) {
          finished.add(task.id());
        }
      }
      own.forget(finished);
    } catch (Throwable t) {
      AgentLog.line("could not update the journal after shutdown: " + t);
    }
  }

  /**
   * Stops recording registrations (for a runtime closed before its JVM ends). The journal keeps its
   * lock: its file still lists what was live.
   */
  @Override
  public void close() {
    for (Subscription subscription : subscriptions) {
      subscription.close();
    }
  }

  // Named classes rather than lambdas: each lambda costs premain a class spun at run time.
  private static final class RegistryLookup implements Predicate<String> {
    private final SharedRegistry registry;

    RegistryLookup(SharedRegistry registry) {
      this.registry = registry;
    }

    @Override
    public boolean test(String id) {
      return registry.isRegistered(id);
    }
  }

  private static int compactAfter() {
    Integer configured = Integer.getInteger(COMPACT_AFTER_PROPERTY);
    return configured == null || configured < 1 ? DEFAULT_COMPACT_AFTER : configured;
  }
}
