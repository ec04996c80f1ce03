package dev.lastcall;

import dev.lastcall.internal.SharedState;

/**
 * One registration of a task in a {@link TaskRegistry}: the handle {@link TaskRegistry#register}
 * returns. Closing it deregisters the task, so the usual shape is try-with-resources around the
 * code that owns the remote task:
 *
 * <pre>{@code
 * String id = createTaskRemotely();
 * try (TrackedTask task = TaskRegistry.global().register(id)) {
 *   awaitResult(task.id());
 * }
 * }</pre>
 *
 * <p>Closing is idempotent and never throws. If the same id was registered again after this handle,
 * closing this older handle leaves the newer registration in place.
 */
public final class TrackedTask implements AutoCloseable {
  private final String id;
  private final SharedState state;

  TrackedTask(String id, SharedState state) {
    this.id = id;
    this.state = state;
  }

  /**
   * The task's {@linkplain TaskRef#key() key}, as registered: a cloud task's id, or {@code v1/} +
   * the run id for a v1 run.
   */
  public String id() {
    return id;
  }

  /** The task and its family. */
  public TaskRef ref() {
    return TaskRef.parse(id);
  }

  /** True while this handle's registration is the current one for its id. */
  public boolean isRegistered() {
    return state.handle(id) == this;
  }

  /** Deregisters the task if this handle still owns its registration. Idempotent. */
  @Override
  public void close() {
    state.release(id, this);
  }

  @Override
  public String toString() {
    return "TrackedTask{" + id + "}";
  }
}
