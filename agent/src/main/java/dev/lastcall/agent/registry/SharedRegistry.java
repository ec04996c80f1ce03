package dev.lastcall.agent.registry;

import dev.lastcall.CancelReport;
import dev.lastcall.TaskOutcome;
import dev.lastcall.TaskRegistry;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The agent's one view of the application's {@link TaskRegistry}, through the state every copy of
 * the api shares ({@code TaskRegistry.sharedStateV1()}, see its Javadoc for the element order):
 *
 * <ul>
 *   <li>the event feed: snapshots of what is registered, and subscriptions to what is registered
 *       and deregistered from now on (the shutdown cancel, the journal, time limits);
 *   <li>the while-running parts: handles and time limits of registrations, "deregister if still
 *       this handle", the slot for the cancel-on-demand function and the application's listeners.
 * </ul>
 *
 * <p>The agent installs one dispatcher per event kind in the shared state, once, and fans events
 * out to its own subscribers. An older api without the shared state still gives snapshots, its
 * subscriptions simply see nothing (the shutdown hook then looks again before it finishes), and the
 * while-running parts are unavailable ({@link #whileRunningUnavailable()} says why).
 *
 * <p>Everything crosses class loaders as JDK types, so outcomes and reports are encoded here as
 * {@code Object[]} and each copy of the api decodes them into its own types.
 */
public final class SharedRegistry {
  private static final int ELEMENTS_FOR_WHILE_RUNNING = 7;
  private static final SharedRegistry INSTANCE = connectOnce();

  private final TaskRegistry registry;
  private final ConcurrentMap<String, Object> tasks; // null: no shared state
  private final boolean bridged;
  private final List<Consumer<String>> onRegister = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> onDeregister = new CopyOnWriteArrayList<>();

  /** Why time limits and cancel on demand cannot work with this api, or null when they can. */
  private final String whileRunningUnavailable;

  private final ConcurrentMap<String, Map.Entry<Object, Long>> limits;
  private final AtomicReference<BiFunction<List<String>, Duration, Object[]>> canceller;
  private final CopyOnWriteArrayList<Consumer<Object[]>> listeners;
  private final BiPredicate<String, Object> release;

  @SuppressWarnings("unchecked")
  private SharedRegistry(TaskRegistry registry, Object[] state, String noState) {
    this.registry = registry;
    this.tasks = state != null ? (ConcurrentMap<String, Object>) state[0] : null;
    AtomicReference<Consumer<String>> registrations =
        state != null ? (AtomicReference<Consumer<String>>) state[1] : null;
    AtomicReference<Consumer<String>> deregistrations =
        state != null && state.length > 2 ? (AtomicReference<Consumer<String>>) state[2] : null;
    this.bridged = registrations != null;
    if (registrations != null) {
      registrations.set(new Dispatcher(onRegister));
    }
    if (deregistrations != null) {
      deregistrations.set(new Dispatcher(onDeregister));
    }
    if (state == null) {
      this.whileRunningUnavailable =
          "the dev.lastcall api on the system class path has no shared state: " + noState;
    } else if (state.length < ELEMENTS_FOR_WHILE_RUNNING) {
      this.whileRunningUnavailable =
          "the dev.lastcall api on the system class path is older than the agent ("
              + state.length
              + " shared elements, "
              + ELEMENTS_FOR_WHILE_RUNNING
              + " needed)";
    } else {
      this.whileRunningUnavailable = null;
    }
    boolean complete = whileRunningUnavailable == null;
    this.limits = complete ? (ConcurrentMap<String, Map.Entry<Object, Long>>) state[3] : null;
    this.canceller =
        complete ? (AtomicReference<BiFunction<List<String>, Duration, Object[]>>) state[4] : null;
    this.listeners = complete ? (CopyOnWriteArrayList<Consumer<Object[]>>) state[5] : null;
    this.release = complete ? (BiPredicate<String, Object>) state[6] : null;
  }

  /** The process-wide registry. Never throws. */
  public static SharedRegistry connect() {
    return INSTANCE;
  }

  private static SharedRegistry connectOnce() {
    TaskRegistry registry = TaskRegistry.global();
    try {
      Method shared = TaskRegistry.class.getDeclaredMethod("sharedStateV1");
      shared.setAccessible(true);
      return new SharedRegistry(registry, (Object[]) shared.invoke(null), null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError noState) {
      return new SharedRegistry(registry, null, noState.toString());
    }
  }

  /** Fans one event out to the subscribers. A class, not a lambda: it may be made in premain. */
  private static final class Dispatcher implements Consumer<String> {
    private final List<Consumer<String>> subscribers;

    Dispatcher(List<Consumer<String>> subscribers) {
      this.subscribers = subscribers;
    }

    @Override
    public void accept(String id) {
      for (Consumer<String> subscriber : subscribers) {
        subscriber.accept(id);
      }
    }
  }

  // The event feed.

  /** True when registrations made from now on reach {@link #onRegistration} subscribers. */
  public boolean canListen() {
    return bridged;
  }

  /**
   * From now on, also hands every new registration to {@code sink}, on the registering thread,
   * after the registration is recorded. Subscribe before taking a {@link #snapshot()}: a
   * registration racing the snapshot is then seen by at least one of the two, so the sink must
   * tolerate an id it has already seen. Close the returned handle to unsubscribe.
   */
  public AutoCloseable onRegistration(Consumer<String> sink) {
    onRegister.add(sink);
    return new Subscription(onRegister, sink);
  }

  /** From now on, also hands every deregistration to {@code sink}, like {@link #onRegistration}. */
  public AutoCloseable onDeregistration(Consumer<String> sink) {
    onDeregister.add(sink);
    return new Subscription(onDeregister, sink);
  }

  private static final class Subscription implements AutoCloseable {
    private final List<Consumer<String>> subscribers;
    private final Consumer<String> sink;

    Subscription(List<Consumer<String>> subscribers, Consumer<String> sink) {
      this.subscribers = subscribers;
      this.sink = sink;
    }

    @Override
    public void close() {
      subscribers.remove(sink);
    }
  }

  /** True when nothing is registered now; unlike a snapshot, copies nothing. */
  public boolean isEmpty() {
    return tasks != null ? tasks.isEmpty() : registry.size() == 0;
  }

  /** The ids registered now. */
  public Set<String> snapshot() {
    return tasks != null ? Set.copyOf(tasks.keySet()) : registry.snapshot();
  }

  /** True if {@code id} is registered now. */
  public boolean isRegistered(String id) {
    return tasks != null ? tasks.containsKey(id) : registry.isRegistered(id);
  }

  // The while-running parts: only when whileRunningUnavailable() is empty.

  /**
   * Why time limits and cancel on demand cannot work with the application's api (an application
   * that ships an older {@code lastcall-api} ahead of the agent jar); empty when they can. The
   * methods below throw {@link IllegalStateException} with this reason when it is present.
   */
  public Optional<String> whileRunningUnavailable() {
    return Optional.ofNullable(whileRunningUnavailable);
  }

  private void requireWhileRunning() {
    if (whileRunningUnavailable != null) {
      throw new IllegalStateException(whileRunningUnavailable);
    }
  }

  /** The current handle of {@code id}, or null if it is not registered. */
  public Object handle(String id) {
    requireWhileRunning();
    return tasks.get(id);
  }

  /** Every registered id with its handle, weakly consistent. */
  public Map<String, Object> registrations() {
    requireWhileRunning();
    return Map.copyOf(tasks);
  }

  /** The registered ids, weakly consistent; for iteration without copying. */
  public Iterable<String> ids() {
    requireWhileRunning();
    return tasks.keySet();
  }

  /** True if {@code id} has a limit of its own, current or stale. Allocation-free. */
  public boolean hasLimitEntry(String id) {
    requireWhileRunning();
    return limits.containsKey(id);
  }

  /**
   * The deadline ({@link System#nanoTime()}) that {@code handle} set for {@code id} when it
   * registered it, or null if that registration named no limit of its own.
   */
  public Long limitOf(String id, Object handle) {
    requireWhileRunning();
    Map.Entry<Object, Long> limit = limits.get(id);
    return limit != null && limit.getKey() == handle ? limit.getValue() : null;
  }

  /** Deregisters {@code id} if {@code handle} is still its registration. */
  public boolean release(String id, Object handle) {
    requireWhileRunning();
    return handle != null && release.test(id, handle);
  }

  /** Installs the cancel-on-demand function, replacing any earlier one. */
  public void installCanceller(BiFunction<List<String>, Duration, Object[]> function) {
    requireWhileRunning();
    canceller.set(function);
  }

  /** Removes {@code function} if it is still the installed one. */
  public void uninstallCanceller(BiFunction<List<String>, Duration, Object[]> function) {
    requireWhileRunning();
    canceller.compareAndSet(function, null);
  }

  /** Tells every application listener; one listener's failure reaches neither us nor the others. */
  public void tellListeners(TaskOutcome outcome) {
    requireWhileRunning();
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
