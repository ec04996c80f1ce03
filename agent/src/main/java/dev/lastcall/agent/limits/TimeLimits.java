package dev.lastcall.agent.limits;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.client.CancelStarter;
import dev.lastcall.agent.events.JfrEvents;
import dev.lastcall.agent.jmx.LastResults;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.registry.SharedRegistry.Subscription;
import dev.lastcall.agent.report.OutcomeCounts;
import dev.lastcall.client.cancel.BulkCancel;
import dev.lastcall.internal.Nanos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Time limits while the application runs: a task still registered when its limit passes is
 * cancelled (the agent's one client, bounded by the configured {@code timeout}), deregistered if
 * the outcome is final ({@link Outcome#STOPPED}, {@link Outcome#ALREADY_DONE}, {@link
 * Outcome#NOT_FOUND}), and the application's listeners are told the outcome.
 *
 * <p>One daemon thread, {@code lastcall-limits}, owns an ordered set of timers (O(log n) to add or
 * remove one). Registration and deregistration events reach it through a lock-free queue and wake
 * it with {@link LockSupport#unpark}; it never trusts the event itself but looks at the registry
 * (current handle, its own limit) when it handles the event, so events that arrive out of order
 * cannot leave a wrong timer behind, and a timer is checked against the registry once more when it
 * fires. A registration with no limit of its own and no configured default costs the registering
 * thread two map lookups and nothing else. Expired tasks are cancelled in batches; waiting for a
 * batch's outcome happens on a small pool of daemon threads ({@code lastcall-limits-wait}, at most
 * {@value #WAITERS}, one per batch in flight, none per task), so a slow cancel never delays the
 * next timer.
 *
 * <p>A limit is measured with {@link System#nanoTime()} from the register call: an explicit limit
 * is stored by the registry as an absolute deadline; the default is counted from the moment the
 * registration event reaches us (on the registering thread, right after the register call), or, for
 * registrations made before we subscribed, from the subscription.
 *
 * <p>An outcome that is not final (timed out, failed, unauthorized) leaves the task registered and
 * is not retried here: the shutdown hook, or {@code TaskRegistry.cancel}, tries again.
 */
public final class TimeLimits implements AutoCloseable {
  static final int WAITERS = 4;
  private static final Comparator<Timer> ORDER =
      (a, b) -> {
        int byDeadline = Long.signum(a.deadline - b.deadline); // nanoTime: compare by difference
        return byDeadline != 0 ? byDeadline : Long.compare(a.seq, b.seq);
      };

  private final SharedRegistry registry;
  private final CancelStarter starter;
  private final Duration timeout;
  private final long defaultNanos; // -1: no default limit

  private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeRequested = new AtomicBoolean();

  /** id to its live timer; written only by the scheduler thread, read by registering threads. */
  private final ConcurrentHashMap<String, Timer> scheduled = new ConcurrentHashMap<>();

  private final TreeSet<Timer> timers = new TreeSet<>(ORDER); // scheduler thread only
  private final Thread thread;
  private final ThreadPoolExecutor waiters;
  private final List<Subscription> subscriptions = new ArrayList<>(2);
  private volatile boolean closed;
  private long nextSeq; // scheduler thread only

  /** Something happened to {@code id} at {@code atNanos}; the registry says what. */
  private record Event(String id, long atNanos) {}

  /** One task's limit: {@code handle} is the registration it was set for. */
  private static final class Timer {
    final String id;
    final Object handle;
    final long deadline;
    final long seq;

    Timer(String id, Object handle, long deadline, long seq) {
      this.id = id;
      this.handle = handle;
      this.deadline = deadline;
      this.seq = seq;
    }
  }

  private TimeLimits(
      SharedRegistry registry, CancelStarter starter, Duration timeout, Duration defaultLimit) {
    this.registry = registry;
    this.starter = starter;
    this.timeout = timeout;
    this.defaultNanos = defaultLimit == null ? -1 : Nanos.clamp(defaultLimit);
    this.thread = new Thread(this::loop, "lastcall-limits");
    this.thread.setDaemon(true);
    AtomicInteger waiterCount = new AtomicInteger();
    this.waiters =
        new ThreadPoolExecutor(
            WAITERS,
            WAITERS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread waiter =
                  new Thread(task, "lastcall-limits-wait-" + waiterCount.incrementAndGet());
              waiter.setDaemon(true);
              return waiter;
            });
    this.waiters.allowCoreThreadTimeOut(true);
  }

  /**
   * Subscribes to the registry, takes the snapshot that covers every registration made before the
   * subscription, and starts the scheduler thread.
   *
   * @param timeout the time each cancel is allowed
   * @param defaultLimit the limit of registrations that name none, or null for none
   */
  public static TimeLimits start(
      SharedRegistry registry, CancelStarter starter, Duration timeout, Duration defaultLimit) {
    TimeLimits limits = new TimeLimits(registry, starter, timeout, defaultLimit);
    // Subscribe first, then look: a registration racing the snapshot is seen at least once.
    limits.subscriptions.add(registry.onRegistration(limits::onRegistration));
    limits.subscriptions.add(registry.onDeregistration(limits::onDeregistration));
    long now = System.nanoTime();
    for (String id : registry.ids()) {
      if (limits.defaultNanos >= 0
          || registry.hasLimitEntry(id)) { // the rest have no limit to enforce
        limits.events.add(new Event(id, now));
      }
    }
    limits.thread.start();
    return limits;
  }

  /** On the registering thread: cheap unless a limit may apply. */
  private void onRegistration(String id) {
    if (defaultNanos < 0 && !registry.hasLimitEntry(id) && !scheduled.containsKey(id)) {
      return; // no limit of its own, no default, nothing to replace
    }
    post(id);
  }

  /** On the deregistering thread: only a task with a timer matters. */
  private void onDeregistration(String id) {
    if (scheduled.containsKey(id)) {
      post(id);
    }
  }

  private void post(String id) {
    events.add(new Event(id, System.nanoTime()));
    if (!wakeRequested.getAndSet(true)) {
      LockSupport.unpark(thread);
    }
  }

  private void loop() {
    while (!closed) {
      try {
        wakeRequested.set(false); // before draining: a post after this wakes us again
        for (Event event; (event = events.poll()) != null; ) {
          reconcile(event);
        }
        long now = System.nanoTime();
        List<Timer> due = null;
        while (!timers.isEmpty() && timers.first().deadline - now <= 0) {
          Timer timer = timers.pollFirst();
          scheduled.remove(timer.id, timer);
          if (registry.handle(timer.id)
              == timer.handle) { // still the registration the limit was set for
            if (due == null) {
              due = new ArrayList<>();
            }
            due.add(timer);
          }
        }
        if (due != null) {
          cancel(due);
          continue; // events may have queued meanwhile
        }
        if (closed) {
          return;
        }
        if (timers.isEmpty()) {
          LockSupport.park(this);
        } else {
          LockSupport.parkNanos(this, timers.first().deadline - now);
        }
      } catch (Throwable t) {
        // Never let the scheduler die: one line, then carry on with the next event or timer.
        AgentLog.line("time limits: unexpected failure, continuing: " + t);
      }
    }
  }

  /**
   * Makes the timer of {@code event.id} match what the registry says now. Scheduler thread only.
   */
  private void reconcile(Event event) {
    String id = event.id();
    Object handle = registry.handle(id);
    Timer current = scheduled.get(id);
    if (handle == null) {
      remove(current);
      return;
    }
    Long own = registry.limitOf(id, handle);
    long deadline;
    if (own != null) {
      deadline = own;
    } else if (current != null && current.handle == handle) {
      return; // the default limit of this very registration is already running
    } else if (defaultNanos >= 0) {
      deadline = event.atNanos() + defaultNanos;
    } else {
      remove(current);
      return;
    }
    if (current != null && current.handle == handle && current.deadline == deadline) {
      return;
    }
    remove(current);
    Timer timer = new Timer(id, handle, deadline, nextSeq++);
    timers.add(timer);
    scheduled.put(id, timer);
  }

  private void remove(Timer timer) {
    if (timer != null) {
      timers.remove(timer);
      scheduled.remove(timer.id, timer);
    }
  }

  /**
   * Starts one bulk cancel for the expired tasks and hands the wait to a waiter. Scheduler thread.
   */
  private void cancel(List<Timer> due) {
    BulkCancel bulk;
    try {
      bulk = starter.start(timeout);
    } catch (RuntimeException closedClient) {
      return; // the client is closed: the JVM is going down and the shutdown hook takes over
    }
    for (Timer timer : due) {
      bulk.submit(timer.id);
    }
    try {
      waiters.execute(() -> settle(bulk, due));
    } catch (RejectedExecutionException stopped) {
      bulk.finish();
    }
  }

  /** On a waiter: waits for the batch, deregisters what is final, tells the listeners. */
  private void settle(BulkCancel bulk, List<Timer> due) {
    bulk.awaitSettled();
    CancelReport report = bulk.finish();
    Map<String, Object> handles = new HashMap<>();
    for (Timer timer : due) {
      handles.put(timer.id, timer.handle);
    }
    for (TaskOutcome outcome : report.tasks()) {
      if (outcome.outcome().isFinal()) {
        registry.release(outcome.id(), handles.get(outcome.id()));
      }
      registry.tellListeners(outcome);
    }
    AgentLog.line(
        "time limit passed for "
            + OutcomeCounts.tasks(report.tasks().size())
            + ", cancelled in "
            + report.duration().toMillis()
            + " ms: "
            + OutcomeCounts.of(report).render());
    JfrEvents.timeLimit(report);
    LastResults.timeLimit(report);
  }

  /** Unsubscribes and stops the threads; cancels in flight still settle on the client's threads. */
  @Override
  public void close() {
    closed = true;
    for (Subscription subscription : subscriptions) {
      subscription.close();
    }
    LockSupport.unpark(thread);
    waiters.shutdown();
  }
}
