package dev.lastcall.agent.journal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The ids a journal on the network still has to record, and the short wait that keeps {@code
 * register}'s promise with a bound: a registering thread waits until its id is recorded or {@link
 * #RECORD_WAIT_MILLIS} have passed, whichever comes first; it never throws and never waits longer.
 * An id not recorded in time stays queued and is recorded as soon as the store answers again.
 *
 * <p>The bound counts from the journal's opening ({@link #opened()}: its jar loaded and its first
 * write done, or its first connection failed), at most {@link #OPEN_WAIT_MILLIS} after the
 * registration: a JVM killed in its first second must not have returned from registrations nobody
 * could record yet. Once the journal is open, a registration waits at most the bound.
 *
 * <p>The queue holds ids, not events: the writer asks the registry whether each id is registered
 * when it writes ({@code isRegistered}), as the file journal's reconcile does, so a registration
 * and deregistration racing each other in the queue end as the registry says. A deregistration
 * never waits: a task wrongly left in the journal is only checked once more by a sweep.
 */
public final class RegistrationQueue {
  /** How long {@code register} waits at most for the journal to record a registration. */
  public static final long RECORD_WAIT_MILLIS = 50;

  /**
   * System property overriding {@link #RECORD_WAIT_MILLIS}: a longer wait for a machine whose
   * threads may stall longer than that (a JVM short of CPU), or a test that needs every recording
   * to be in time whatever the machine's load.
   */
  static final String RECORD_WAIT_PROPERTY = "dev.lastcall.journal.recordWaitMillis";

  /**
   * How long a registration waits at most for the journal to open, at the JVM's start (or the
   * record wait, if that is longer).
   */
  public static final long OPEN_WAIT_MILLIS = 5000;

  private final long waitNanos;
  private final Consumer<String> lines;
  private final String where;
  private boolean lateSaid; // guarded by this: said once in the JVM's life
  private final Set<String> dirty = new LinkedHashSet<>(); // guarded by this
  private long queued; // guarded by this: sequence of the last id queued
  private long recorded; // guarded by this: every id queued up to this sequence is recorded
  private long lateRegistrations; // guarded by this
  private boolean closed; // guarded by this
  private boolean opened; // guarded by this
  private long openedAt; // guarded by this: System.nanoTime() at opened()

  /**
   * @param where the journal, for the one line said when a registration returns before it is
   *     recorded
   * @param lines where that line goes ({@code AgentLog.LINES})
   */
  public RegistrationQueue(String where, Consumer<String> lines) {
    this(recordWaitMillis() * 1_000_000L, where, lines);
  }

  /** The bound in use: {@link #RECORD_WAIT_MILLIS}, or the system property's value if valid. */
  public static long recordWaitMillis() {
    Long configured = Long.getLong(RECORD_WAIT_PROPERTY);
    return configured == null || configured < 1 ? RECORD_WAIT_MILLIS : configured;
  }

  RegistrationQueue(long waitNanos, String where, Consumer<String> lines) {
    this.waitNanos = waitNanos;
    this.where = where;
    this.lines = lines;
  }

  /**
   * On the registering thread: queues {@code id} and waits, at most the bound, until it is
   * recorded.
   */
  public void registered(String id) {
    long start = System.nanoTime();
    long openDeadline = start + Math.max(OPEN_WAIT_MILLIS * 1_000_000L, waitNanos);
    boolean interrupted = false;
    boolean late = false;
    synchronized (this) {
      long mine = queue(id);
      while (recorded < mine && !closed) {
        long now = System.nanoTime();
        long left = (opened ? Math.max(start, openedAt) + waitNanos : openDeadline) - now;
        if (left <= 0) {
          lateRegistrations++;
          if (!lateSaid) {
            lateSaid = true;
            late = true;
          }
          break;
        }
        try {
          wait(left / 1_000_000L, (int) (left % 1_000_000L));
        } catch (InterruptedException e) {
          interrupted = true; // the application's interrupt: keep it, stop waiting
          break;
        }
      }
    }
    if (late) { // said outside the lock
      lines.accept(
          "register returned before the journal "
              + where
              + " recorded the task (it waits at most "
              + waitNanos / 1_000_000L
              + " ms): the store is slow or unreachable; the task is recorded as soon as it"
              + " answers, and a crash before then leaves it to run");
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * For the writer: the journal is open (its first write done, or its first connection failed):
   * registrations wait only the short bound from now on.
   */
  public synchronized void opened() {
    if (!opened) {
      opened = true;
      openedAt = System.nanoTime();
      notifyAll();
    }
  }

  /**
   * For the writer, which has said in its own line that the store does not answer: registrations
   * returning late add no line of their own.
   */
  public synchronized void outageSaid() {
    lateSaid = true;
  }

  /** On the deregistering thread: queues {@code id}; never waits. */
  public synchronized void deregistered(String id) {
    queue(id);
  }

  /** Queues ids to record again (a new lease, a store that lost its data); never waits. */
  public synchronized void requeue(Collection<String> ids) {
    for (String id : ids) {
      queue(id);
    }
  }

  private long queue(String id) {
    dirty.add(id);
    queued++;
    notifyAll();
    return queued;
  }

  /** What the writer takes: ids to reconcile, and the sequence they cover once recorded. */
  public static final class Batch {
    private final List<String> ids;
    private final long upTo;

    Batch(List<String> ids, long upTo) {
      this.ids = ids;
      this.upTo = upTo;
    }

    public List<String> ids() {
      return ids;
    }

    public boolean isEmpty() {
      return ids.isEmpty();
    }
  }

  /**
   * For the writer: waits up to {@code maxWaitMillis} for ids to be queued, then takes up to {@code
   * max} of them (an empty batch if none came).
   */
  public synchronized Batch take(long maxWaitMillis, int max) throws InterruptedException {
    long deadline = System.nanoTime() + maxWaitMillis * 1_000_000L;
    while (dirty.isEmpty() && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000L));
    }
    List<String> ids = new ArrayList<>(Math.min(dirty.size(), max));
    var it = dirty.iterator();
    while (it.hasNext() && ids.size() < max) {
      ids.add(it.next());
      it.remove();
    }
    // A batch covers every sequence queued so far only if it took everything.
    return new Batch(ids, dirty.isEmpty() ? queued : recorded);
  }

  /** For the writer: {@code batch} is in the store; wakes the registrations waiting for it. */
  public synchronized void recorded(Batch batch) {
    if (batch.upTo > recorded) {
      recorded = batch.upTo;
      notifyAll();
    }
  }

  /** For the writer: {@code batch} could not be written; its ids go back in the queue. */
  public synchronized void failed(Batch batch) {
    dirty.addAll(batch.ids);
  }

  /** How many registrations returned before they were recorded (the store was slow or down). */
  public synchronized long lateRegistrations() {
    return lateRegistrations;
  }

  /** Wakes every waiter for good: nothing will be recorded any more. */
  public synchronized void close() {
    closed = true;
    notifyAll();
  }
}
