package dev.lastcall.client.cancel;

import dev.lastcall.CancelReport;
import dev.lastcall.TaskIds;
import dev.lastcall.TaskOutcome;
import dev.lastcall.client.internal.ApiFamilies;
import dev.lastcall.client.internal.ConnectionEvents;
import dev.lastcall.client.internal.TaskRequests;
import dev.lastcall.internal.Nanos;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * The {@link BulkCancel} behind {@code TasksClient.startCancelAll}: a map of per-task state
 * machines, a count of unsettled ones, and one clock. Waiting is done on a condition with this
 * object's own deadline, never on HTTP timeouts, so a lookup that hangs cannot hold it up.
 *
 * <p>Internal: made by the client, not by applications.
 */
public final class BulkCancellation implements BulkCancel {
  final OkHttpClient http;

  final ApiFamilies families;
  final ScheduledExecutorService scheduler;

  private final Duration deadline;
  private final long startNanos;
  private final long deadlineNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition allSettled = lock.newCondition();
  private final LinkedHashMap<String, TaskCancellation> tasks =
      new LinkedHashMap<>(); // guarded by lock
  private int unsettled; // guarded by lock
  private boolean finished; // guarded by lock
  private CancelReport report; // guarded by lock
  private final ScheduledFuture<?> deadlineTimer;
  private final FirstCallGate gate;

  /**
   * The client bulk cancels use: {@code base}'s dispatcher, threads and pool, with no call timeout
   * of its own; each request's timeouts are cut from the remaining deadline instead.
   */
  public static OkHttpClient httpClient(OkHttpClient base) {
    return base.newBuilder().callTimeout(Duration.ZERO).addInterceptor(new TimeoutSlices()).build();
  }

  /**
   * Starts the deadline clock; {@code http} must come from {@link #httpClient}, and {@code events}
   * must be its event listener. When no connection is pooled and the server may speak HTTP/2, the
   * first task's call goes alone and the others wait until it has its connection ({@link
   * FirstCallGate}).
   */
  public BulkCancellation(
      OkHttpClient http,
      TaskRequests requests,
      ScheduledExecutorService scheduler,
      ConnectionEvents events,
      Duration deadline) {
    this(http, ApiFamilies.cloudOnly(requests), scheduler, events, deadline, true);
  }

  /** As above, for tasks of every family {@code families} has a key for. */
  public BulkCancellation(
      OkHttpClient http,
      ApiFamilies families,
      ScheduledExecutorService scheduler,
      ConnectionEvents events,
      Duration deadline) {
    this(http, families, scheduler, events, deadline, true);
  }

  /**
   * A bulk cancel whose calls never wait for a connection: for {@code http} clients that answer
   * from an interceptor and make none (the warm-up's canned answers), where a first-call gate would
   * only hold the others until it timed out.
   */
  public static BulkCancellation offline(
      OkHttpClient http,
      TaskRequests requests,
      ScheduledExecutorService scheduler,
      ConnectionEvents events,
      Duration deadline) {
    return new BulkCancellation(
        http, ApiFamilies.cloudOnly(requests), scheduler, events, deadline, false);
  }

  private BulkCancellation(
      OkHttpClient http,
      ApiFamilies families,
      ScheduledExecutorService scheduler,
      ConnectionEvents events,
      Duration deadline,
      boolean connects) {
    this.http = http;
    this.families = families;
    this.scheduler = scheduler;
    this.deadline = deadline;
    long deadlineLength = Nanos.clamp(deadline);
    this.startNanos = System.nanoTime();
    this.deadlineNanos = startNanos + deadlineLength;
    // At the deadline every unsettled task is settled TIMED_OUT and its call cancelled, even if
    // nobody calls finish(): a call stuck in DNS would otherwise never report back.
    this.deadlineTimer = scheduler.schedule(this::expire, deadlineLength, TimeUnit.NANOSECONDS);
    // Nothing to wait for when a connection is pooled, or when the server is known to speak
    // HTTP/1.1 (each call needs its own connection then, and a TLS session to resume is cached).
    this.gate =
        !connects
                || http.connectionPool().connectionCount() > 0
                || events.protocol() == Protocol.HTTP_1_1
            ? FirstCallGate.open()
            : FirstCallGate.untilConnected(
                events, scheduler, Math.min(FirstCallGate.MAX_HOLD_NANOS, deadlineLength / 4));
  }

  /** True while the first call goes alone and the others wait for its connection. */
  boolean holdsBackForAConnection() {
    return gate.isHolding();
  }

  long remainingNanos() {
    return deadlineNanos - System.nanoTime();
  }

  @Override
  public boolean submit(String id) {
    TaskIds.requireValidKey(id);
    TaskCancellation task;
    lock.lock();
    try {
      if (finished || tasks.containsKey(id)) {
        return false;
      }
      task = new TaskCancellation(this, id);
      tasks.put(id, task);
      unsettled++;
    } finally {
      lock.unlock();
    }
    // A task that makes no call (no key for its family) settles at once; through the gate it could
    // be the first call, whose connection the others would wait for in vain.
    if (!task.makesCalls() || gate.admit(task)) {
      task.start(); // Outside the lock: starting may settle at once, which takes the lock again.
    }
    return true;
  }

  @Override
  public boolean awaitSettled() {
    lock.lock();
    try {
      while (unsettled > 0) {
        long left = remainingNanos();
        if (left <= 0) {
          return false;
        }
        allSettled.awaitNanos(left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unsettled == 0;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CancelReport finish() {
    List<TaskCancellation> snapshot;
    lock.lock();
    try {
      if (report != null) {
        return report;
      }
      finished = true;
      snapshot = new ArrayList<>(tasks.values());
    } finally {
      lock.unlock();
    }
    deadlineTimer.cancel(false);
    for (TaskCancellation task : snapshot) {
      task.timeOut(); // No-op for settled tasks; cancels the call or retry of the others.
    }
    List<TaskOutcome> outcomes = new ArrayList<>(snapshot.size());
    for (TaskCancellation task : snapshot) {
      outcomes.add(task.outcome());
    }
    CancelReport made =
        CancelReport.of(deadline, Duration.ofNanos(System.nanoTime() - startNanos), outcomes);
    lock.lock();
    try {
      if (report == null) {
        report = made; // A concurrent finish() may have won; both saw the same settled tasks.
      }
      return report;
    } finally {
      lock.unlock();
    }
  }

  /** Called once by each task when it settles. */
  void onSettled() {
    lock.lock();
    try {
      if (--unsettled == 0) {
        allSettled.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private void expire() {
    List<TaskCancellation> snapshot;
    lock.lock();
    try {
      snapshot = new ArrayList<>(tasks.values());
    } finally {
      lock.unlock();
    }
    for (TaskCancellation task : snapshot) {
      task.timeOut();
    }
  }
}
