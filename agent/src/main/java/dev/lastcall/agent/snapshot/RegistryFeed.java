package dev.lastcall.agent.snapshot;

import dev.lastcall.TaskRegistry;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The agent's view of the application's {@link TaskRegistry}: a snapshot of what is registered,
 * and a feed of what is registered after it.
 *
 * <p>The registry keeps its state in JDK types and exposes it through the versioned private
 * method {@code sharedStateV1}, the same bridge copies of the api in other class loaders use; the
 * agent reads it once, off the shutdown path. If the application ships an older api without that
 * bridge, the feed still takes snapshots and the hook simply looks again before it finishes.
 */
public final class RegistryFeed {
  private final TaskRegistry registry;
  private final ConcurrentMap<String, Object> tasks;
  private final AtomicReference<Consumer<String>> listener;

  private RegistryFeed(
      TaskRegistry registry, ConcurrentMap<String, Object> tasks, AtomicReference<Consumer<String>> listener) {
    this.registry = registry;
    this.tasks = tasks;
    this.listener = listener;
  }

  /** Connects to the process-wide registry. Never throws. */
  @SuppressWarnings("unchecked")
  public static RegistryFeed connect() {
    TaskRegistry registry = TaskRegistry.global();
    try {
      Method shared = TaskRegistry.class.getDeclaredMethod("sharedStateV1");
      shared.setAccessible(true);
      Object[] state = (Object[]) shared.invoke(null);
      return new RegistryFeed(registry,
          (ConcurrentMap<String, Object>) state[0], (AtomicReference<Consumer<String>>) state[1]);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError noBridge) {
      return new RegistryFeed(registry, null, null);
    }
  }

  /** True when registrations made from now on will be handed to {@link #listen}'s sink. */
  public boolean canListen() {
    return listener != null;
  }

  /**
   * From now on, hands every new registration to {@code sink} as well as recording it. Call this
   * before {@link #snapshot()}: a registration racing the snapshot is then seen by at least one of
   * the two (the sink must tolerate seeing an id twice).
   */
  public void listen(Consumer<String> sink) {
    if (listener != null) {
      listener.set(sink);
    }
  }

  /** Stops handing registrations to the sink. */
  public void stopListening() {
    if (listener != null) {
      listener.set(null);
    }
  }

  /** The ids registered now. */
  public Set<String> snapshot() {
    return tasks != null ? Set.copyOf(tasks.keySet()) : registry.snapshot();
  }
}
