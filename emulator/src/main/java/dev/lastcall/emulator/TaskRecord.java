package dev.lastcall.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One task as the emulator keeps it: what it was created with, plus the only two things that change
 * besides the clock: an explicit state (set by a stop or by a test) and the stop-call counters.
 * Everything else is derived on demand by {@link StateMachine}.
 */
final class TaskRecord {
  final String id;
  final String userId;
  final NewTask input;
  final Instant createdAt;
  private final Timings timings;
  private final AtomicLong stopCalls = new AtomicLong();
  private final AtomicLong successfulStops = new AtomicLong();

  /** Null while the state follows the clock; once set, the task stays in it. Guarded by this. */
  private TaskState fixed;

  TaskRecord(String id, String userId, NewTask input, Instant createdAt, Timings timings) {
    this.id = id;
    this.userId = userId;
    this.input = input;
    this.createdAt = createdAt;
    this.timings = timings;
  }

  synchronized TaskState stateAt(Instant now) {
    if (fixed != null) {
      return fixed;
    }
    return StateMachine.derive(createdAt, Duration.ofSeconds(input.maxDuration()), timings, now);
  }

  /** When it left pending (or will): the start of processing on its clock. */
  Instant startedAt() {
    return createdAt.plus(timings.pending());
  }

  /**
   * Stops the task if it is processing or saving.
   *
   * @return the new state, or null when the task was not in a stoppable state
   */
  synchronized TaskState stop(Instant now) {
    TaskState current = stateAt(now);
    if (!TaskStatus.stoppable(current.status())) {
      return null;
    }
    fixed =
        new TaskState(TaskStatus.STOPPED, current.progress(), now, now, StateMachine.STOPPED_ERROR);
    successfulStops.incrementAndGet();
    return fixed;
  }

  /**
   * Test hook: pins the task to a status, which then no longer follows the clock; {@code done} says
   * whether that status is terminal in the task's family.
   */
  synchronized void force(String status, boolean done, Instant now) {
    TaskState current = stateAt(now);
    int progress = TaskStatus.COMPLETED.equals(status) ? 100 : current.progress();
    Instant completedAt = done ? now : null;
    fixed = new TaskState(status, progress, now, completedAt, StateMachine.errorFor(status));
  }

  /** Counts one PATCH naming this task and returns its ordinal (1 for the first). */
  long countStopCall() {
    return stopCalls.incrementAndGet();
  }

  long stopCalls() {
    return stopCalls.get();
  }

  long successfulStops() {
    return successfulStops.get();
  }

  /** A snapshot, its status named as {@code family} names it. */
  TaskView view(Instant now, String family) {
    TaskState s = stateAt(now);
    return new TaskView(
        id,
        input.prompt(),
        family.equals(TaskView.V1) ? RunStatus.of(s.status()) : s.status(),
        s.progress(),
        createdAt,
        s.completedAt(),
        stopCalls(),
        successfulStops(),
        family);
  }
}
