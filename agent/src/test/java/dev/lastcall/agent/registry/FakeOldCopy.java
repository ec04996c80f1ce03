package dev.lastcall.agent.registry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A copy of the api that initialised before the agent existed and so keeps its own state, speaking
 * only the positional {@code sharedStateV1} of the first releases; loaded by {@link
 * RegistryJoinTest}'s own class loader, as a fat jar's loader would load {@code TaskRegistry}.
 * Driven by reflection.
 */
public final class FakeOldCopy {
  static final ConcurrentMap<String, Object> TASKS = new ConcurrentHashMap<>();
  static final AtomicReference<Consumer<String>> REGISTERED = new AtomicReference<>();
  static final AtomicReference<Consumer<String>> DEREGISTERED = new AtomicReference<>();
  static final ConcurrentMap<String, Map.Entry<Object, Long>> LIMITS = new ConcurrentHashMap<>();

  private FakeOldCopy() {}

  @SuppressWarnings("unused") // called reflectively
  private static Object[] sharedStateV1() {
    // The positional layout of the first releases: tasks, the two listeners (no limits yet).
    return new Object[] {TASKS, REGISTERED, DEREGISTERED};
  }

  /** Registers as TaskRegistry does: limit, then task, then the listener. */
  public static Object register(String id, Long deadline) {
    Object handle = new Handle();
    if (deadline != null) {
      LIMITS.put(id, Map.entry(handle, deadline));
    }
    TASKS.put(id, handle);
    tell(REGISTERED, id);
    return handle;
  }

  /** Closes a handle as TrackedTask does. */
  public static void close(String id, Object handle) {
    if (TASKS.remove(id, handle)) {
      LIMITS.remove(id);
      tell(DEREGISTERED, id);
    }
  }

  private static void tell(AtomicReference<Consumer<String>> listener, String id) {
    Consumer<String> current = listener.get();
    if (current != null) {
      current.accept(id);
    }
  }

  /** This copy's TrackedTask. */
  public static final class Handle {}
}
