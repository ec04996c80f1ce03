package dev.lastcall.client.cancel;

import dev.lastcall.client.internal.CallMarker;
import dev.lastcall.client.internal.ConnectionEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Lets a bulk cancel's first call go alone when no connection is pooled, and holds the others until
 * it has its connection. OkHttp never waits for a connection another call is still setting up: each
 * concurrent call to a host with none pooled starts its own (square/okhttp #5269; the maintainers'
 * advice is to make one call first). Held back, the others find the first call's connection in the
 * pool and, over HTTP/2, share it; over HTTP/1.1 they open their own as before, one connection
 * set-up later.
 *
 * <p>The others go at the first of: the first call acquired a connection, its connection or the
 * call itself failed or ended (a failure would be theirs too; waiting longer gains nothing), or
 * {@link #MAX_HOLD_NANOS} (at most a quarter of the deadline) passed, so a slow or hung handshake
 * costs them little. Only the first call's own events count (its request carries the gate's {@link
 * CallMarker}): another call ending meanwhile, a single call or another cancel's, says nothing
 * about this connection. A gate made {@link #open()} holds nothing: a pooled connection is there to
 * share already.
 */
final class FirstCallGate {
  /** The longest the others wait for the first call's connection. */
  static final long MAX_HOLD_NANOS = TimeUnit.SECONDS.toNanos(1);

  private static final FirstCallGate OPEN = new FirstCallGate();

  /** On the first call's request; null for the open gate. */
  private final CallMarker firstCall;

  // Guarded by this.
  private boolean open;
  private boolean firstLetThrough;
  private List<TaskCancellation> held = new ArrayList<>();
  private Runnable forget;
  private Future<?> timer;

  private FirstCallGate() {
    this.open = true;
    this.firstCall = null;
  }

  private FirstCallGate(CallMarker firstCall) {
    this.open = false;
    this.firstCall = firstCall;
  }

  /** A gate that holds nothing. */
  static FirstCallGate open() {
    return OPEN;
  }

  /**
   * A gate that lets one task through and holds the rest until a connection is acquired (per {@code
   * events}), or for at most {@code maxHoldNanos}.
   */
  static FirstCallGate untilConnected(
      ConnectionEvents events, ScheduledExecutorService scheduler, long maxHoldNanos) {
    FirstCallGate gate = new FirstCallGate(new CallMarker("first call of a bulk cancel"));
    Runnable release = new Release(gate, scheduler);
    synchronized (gate) {
      gate.forget = events.onConnectionOf(gate.firstCall, release);
      try {
        gate.timer = scheduler.schedule(release, Math.max(0, maxHoldNanos), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        gate.open = true; // a closed client: nothing to hold for
      }
    }
    return gate;
  }

  /**
   * True if {@code task} may start now; false if it is held, to be started when the gate opens. The
   * first task let through a closed gate is marked, so that its call's events open it.
   */
  synchronized boolean admit(TaskCancellation task) {
    if (open) {
      return true;
    }
    if (!firstLetThrough) {
      firstLetThrough = true;
      task.markFirstCall(firstCall);
      return true;
    }
    held.add(task);
    return false;
  }

  /** True while tasks are being held. */
  synchronized boolean isHolding() {
    return !open;
  }

  /** Opens the gate and starts every task held; later calls do nothing. */
  void release() {
    List<TaskCancellation> toStart;
    synchronized (this) {
      if (open) {
        return;
      }
      open = true;
      toStart = held;
      held = null;
    }
    forget.run();
    timer.cancel(false);
    for (TaskCancellation task : toStart) {
      task.start(); // a task settled meanwhile (deadline, finish) sends nothing
    }
  }

  /**
   * Opens the gate on the scheduler's thread: the signal comes on an OkHttp thread that is about to
   * send the first request, which should not wait while hundreds of calls are enqueued.
   */
  private static final class Release implements Runnable {
    private final FirstCallGate gate;
    private final ScheduledExecutorService scheduler;

    Release(FirstCallGate gate, ScheduledExecutorService scheduler) {
      this.gate = gate;
      this.scheduler = scheduler;
    }

    @Override
    public void run() {
      if (!gate.isHolding()) {
        return;
      }
      try {
        scheduler.execute(new Open(gate));
      } catch (RejectedExecutionException e) {
        gate.release(); // the client is closing: start them here, they will settle at once
      }
    }
  }

  private static final class Open implements Runnable {
    private final FirstCallGate gate;

    Open(FirstCallGate gate) {
      this.gate = gate;
    }

    @Override
    public void run() {
      gate.release();
    }
  }
}
