package dev.lastcall.agent.journal;

import dev.lastcall.CancelReport;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.registry.SharedRegistry.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link CrashJournal} whose store lives in a jar of its own (Redis): premain only subscribes a
 * {@link RegistrationQueue} to the registry; the jar is opened, and the store connected, on the
 * {@code lastcall-journal} daemon thread, which then drains the queue. Registrations made before it
 * is ready wait the queue's short bound and are recorded as soon as it is.
 */
final class PluginJournal implements CrashJournal {
  private final AgentConfig config;
  private final SharedRegistry registry;
  private final RegistrationQueue queue;
  private final List<Subscription> subscriptions = new ArrayList<>(2);
  private volatile CrashJournal opened;
  private volatile boolean closed;

  PluginJournal(AgentConfig config, SharedRegistry registry) {
    this.config = config;
    this.registry = registry;
    this.queue =
        new RegistrationQueue(config.journal().map(Object::toString).orElse(""), AgentLog.LINES);
  }

  @Override
  public void start() {
    // Subscribe first, then queue what is already registered (a late attach).
    subscriptions.add(registry.onRegistration(new Registered(queue)));
    subscriptions.add(registry.onDeregistration(new Deregistered(queue)));
    queue.requeue(registry.snapshot());
    Thread thread = new Thread(new Open(this), "lastcall-journal");
    thread.setDaemon(true);
    thread.start();
  }

  private void open() {
    try {
      CrashJournal journal = Journals.redisPlugin().open(config, registry, queue);
      synchronized (this) {
        if (closed) {
          journal.close();
          return;
        }
        opened = journal;
      }
      journal.start();
    } catch (Throwable t) {
      queue.close(); // nobody will record: registrations must not wait for it
      AgentLog.line(
          "journal is off: could not open the journal "
              + config.journal().map(Object::toString).orElse("")
              + " ("
              + t.getMessage()
              + "); tasks are still cancelled at shutdown, but not after a crash");
    }
  }

  @Override
  public void sweepInBackground(JournalSweep.Canceller canceller) {
    Thread thread = new Thread(() -> sweep(canceller), "lastcall-sweep");
    thread.setDaemon(true);
    thread.start();
  }

  private void sweep(JournalSweep.Canceller canceller) {
    String where = config.journal().map(Object::toString).orElse("");
    try (JournalSweeper sweeper = Journals.sweeper(config)) {
      SweepSummary.announce(sweeper.sweep(canceller));
    } catch (Throwable t) {
      AgentLog.line("could not sweep the journal " + where + ": " + t.getMessage());
    }
  }

  @Override
  public void afterShutdownCancel(CancelReport report) {
    CrashJournal journal = opened;
    if (journal != null) {
      journal.afterShutdownCancel(report);
    }
  }

  @Override
  public void close() {
    for (Subscription subscription : subscriptions) {
      subscription.close();
    }
    CrashJournal journal;
    synchronized (this) {
      closed = true;
      journal = opened;
    }
    queue.close();
    if (journal != null) {
      journal.close();
    }
  }

  // Named classes rather than lambdas: premain makes them.

  private static final class Open implements Runnable {
    private final PluginJournal journal;

    Open(PluginJournal journal) {
      this.journal = journal;
    }

    @Override
    public void run() {
      journal.open();
    }
  }

  private static final class Registered implements Consumer<String> {
    private final RegistrationQueue queue;

    Registered(RegistrationQueue queue) {
      this.queue = queue;
    }

    @Override
    public void accept(String id) {
      queue.registered(id);
    }
  }

  private static final class Deregistered implements Consumer<String> {
    private final RegistrationQueue queue;

    Deregistered(RegistrationQueue queue) {
      this.queue = queue;
    }

    @Override
    public void accept(String id) {
      queue.deregistered(id);
    }
  }
}
