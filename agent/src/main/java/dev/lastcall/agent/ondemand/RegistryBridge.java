package dev.lastcall.agent.ondemand;

import dev.lastcall.CancelReport;
import dev.lastcall.TaskOutcome;
import dev.lastcall.TaskRegistry;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The agent's side of the registry state that every copy of the api shares through {@code
 * TaskRegistry.sharedStateV1()} (see its Javadoc for the element order), for time limits and cancel
 * on demand: the registered ids and their handles, the limits, the slot for the cancel-on-demand
 * function, the application's listeners, and "deregister if still this handle".
 *
 * <p>Everything crosses class loaders as JDK types, so outcomes and reports are encoded here as
 * {@code Object[]} and each copy of the api decodes them into its own types.
 */
public final class RegistryBridge {
  private static final int ELEMENTS_NEEDED = 7;

  private final ConcurrentMap<String, Object> tasks;
  private final ConcurrentMap<String, Map.Entry<Object, Long>> limits;
  private final AtomicReference<BiFunction<List<String>, Duration, Object[]>> canceller;
  private final CopyOnWriteArrayList<Consumer<Object[]>> listeners;
  private final BiPredicate<String, Object> release;

  @SuppressWarnings("unchecked")
  private RegistryBridge(Object[] state) {
    this.tasks = (ConcurrentMap<String, Object>) state[0];
    this.limits = (ConcurrentMap<String, Map.Entry<Object, Long>>) state[3];
    this.canceller = (AtomicReference<BiFunction<List<String>, Duration, Object[]>>) state[4];
    this.listeners = (CopyOnWriteArrayList<Consumer<Object[]>>) state[5];
    this.release = (BiPredicate<String, Object>) state[6];
  }

  /**
   * The bridge of the process-wide registry.
   *
   * @throws IllegalStateException if the api on the system class path is too old to offer it (an
   *     application that ships an older {@code lastcall-api} ahead of the agent jar)
   */
  public static RegistryBridge connect() {
    Object[] state;
    try {
      Method shared = TaskRegistry.class.getDeclaredMethod("sharedStateV1");
      shared.setAccessible(true);
      state = (Object[]) shared.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      throw new IllegalStateException(
          "the dev.lastcall api on the system class path has no shared state: " + e);
    }
    if (state.length < ELEMENTS_NEEDED) {
      throw new IllegalStateException(
          "the dev.lastcall api on the system class path is older than the agent"
              + " ("
              + state.length
              + " shared elements, "
              + ELEMENTS_NEEDED
              + " needed)");
    }
    return new RegistryBridge(state);
  }

  /** The current handle of {@code id}, or null if it is not registered. */
  public Object handle(String id) {
    return tasks.get(id);
  }

  /** Every registered id with its handle, weakly consistent. */
  public Map<String, Object> registrations() {
    return Map.copyOf(tasks);
  }

  /** The registered ids, weakly consistent; for iteration without copying. */
  public Iterable<String> ids() {
    return tasks.keySet();
  }

  /** True if {@code id} has a limit of its own, current or stale. Allocation-free. */
  public boolean hasLimitEntry(String id) {
    return limits.containsKey(id);
  }

  /**
   * The deadline ({@link System#nanoTime()}) that {@code handle} set for {@code id} when it
   * registered it, or null if that registration named no limit of its own.
   */
  public Long limitOf(String id, Object handle) {
    Map.Entry<Object, Long> limit = limits.get(id);
    return limit != null && limit.getKey() == handle ? limit.getValue() : null;
  }

  /** Deregisters {@code id} if {@code handle} is still its registration. */
  public boolean release(String id, Object handle) {
    return handle != null && release.test(id, handle);
  }

  /** Installs the cancel-on-demand function, replacing any earlier one. */
  public void installCanceller(BiFunction<List<String>, Duration, Object[]> function) {
    canceller.set(function);
  }

  /** Removes {@code function} if it is still the installed one. */
  public void uninstallCanceller(BiFunction<List<String>, Duration, Object[]> function) {
    canceller.compareAndSet(function, null);
  }

  /** Tells every application listener; one listener's failure reaches neither us nor the others. */
  public void tellListeners(TaskOutcome outcome) {
    if (listeners.isEmpty()) {
      return;
    }
    Object[] encoded = encode(outcome);
    for (Consumer<Object[]> listener : listeners) {
      try {
        listener.accept(encoded.clone());
      } catch (Throwable ignored) {
        // The api's own wrapper already catches; this is for a wrapper from an unknown copy.
      }
    }
  }

  /** One outcome as JDK types: {@code {id, outcome name, attempts, elapsed, detail}}. */
  public static Object[] encode(TaskOutcome outcome) {
    return new Object[] {
      outcome.id(),
      outcome.outcome().name(),
      outcome.attempts(),
      outcome.elapsed(),
      outcome.detail()
    };
  }

  /** A report as JDK types: {@code {deadline, duration, List<Object[]> tasks}}. */
  public static Object[] encode(CancelReport report) {
    List<Object[]> tasks = new ArrayList<>(report.tasks().size());
    for (TaskOutcome outcome : report.tasks()) {
      tasks.add(encode(outcome));
    }
    return new Object[] {report.deadline(), report.duration(), List.copyOf(tasks)};
  }
}
