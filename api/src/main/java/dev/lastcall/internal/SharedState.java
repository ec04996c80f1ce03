package dev.lastcall.internal;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.TaskListener;
import dev.lastcall.TaskOutcome;
import dev.lastcall.TaskRegistry;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The one owner of the state that every copy of {@link TaskRegistry} in the JVM shares with the
 * others and with the agent: how a copy finds the canonical one, which version it speaks, what each
 * part is called, and how outcomes and reports are encoded to cross class loaders.
 *
 * <p><b>Internal:</b> public only so that the agent can use it; not for applications, and it may
 * change in any release without notice.
 *
 * <h2>The parts</h2>
 *
 * The canonical copy (the one the system class loader sees) hands out its parts as a JDK {@code
 * Map<String, Object>} through the private static method {@code TaskRegistry.sharedStateV2()}. Only
 * JDK types cross, so that copies in fat-jar or child-first loaders share one registry; whether an
 * agent supports something is whether its map {@linkplain #has has} that part.
 *
 * <ul>
 *   <li>{@value #TASKS}: {@code ConcurrentMap<String, Object>}, the registered ids, each to the
 *       handle (a {@code TrackedTask} of some copy) that registered it;
 *   <li>{@value #REGISTRATION_LISTENER}: {@code AtomicReference<Consumer<String>>}, told of every
 *       registration after it is made;
 *   <li>{@value #DEREGISTRATION_LISTENER}: {@code AtomicReference<Consumer<String>>}, told of every
 *       deregistration after it is made;
 *   <li>{@value #LIMITS}: {@code ConcurrentMap<String, Map.Entry<Object, Long>>}, the time limits:
 *       id to (the handle that set it, its deadline in {@link System#nanoTime()}). Written before
 *       the registration it belongs to, and only by registrations that name a limit. <b>The
 *       rule:</b> an entry counts only while its handle is the id's current handle; an entry left
 *       by a replaced registration means "no limit of its own" and goes when that handle is closed.
 *       (Kept per id rather than per handle: this is the very map that copies older than this class
 *       write and read, so all share it without a translating view);
 *   <li>{@value #RELEASE}: {@code BiPredicate<String, Object>}, "deregister this id if this handle
 *       is still its registration", clearing its limit and telling the deregistration listener;
 *   <li>{@value #CANCELLER}: {@code AtomicReference<BiFunction<List<String>, Duration, Map<String,
 *       Object>>>}, cancel on demand, installed by the agent. Takes the ids (null: every registered
 *       id) and the deadline (null: the agent's configured timeout), returns an encoded report,
 *       deregisters confirmed tasks;
 *   <li>{@value #LISTENERS}: {@code CopyOnWriteArrayList<Consumer<Map<String, Object>>>}, the
 *       applications' listeners, each told one encoded outcome; each copy wraps its own {@link
 *       TaskListener}s;
 *   <li>{@value #CANCELLER_V1} and {@value #LISTENERS_V1}: the same two in the positional encoding
 *       of {@code sharedStateV1}, for copies of the api older than this class (see {@code
 *       SharedStateV1}).
 * </ul>
 *
 * An encoded outcome is a map with {@value #ID} ({@code String}), {@value #OUTCOME} ({@code
 * String}, an {@link Outcome} name), {@value #ATTEMPTS} ({@code Integer}), {@value #ELAPSED}
 * ({@code Duration}) and {@value #DETAIL} ({@code String}); an encoded report one with {@value
 * #DEADLINE} ({@code Duration}), {@value #DURATION} ({@code Duration}) and {@value #TASKS} ({@code
 * List} of encoded outcomes).
 *
 * <h2>Older and newer copies</h2>
 *
 * A canonical copy older than this class offers only {@code sharedStateV1}, an array; this class
 * reads it once, in {@code SharedStateV1}, and otherwise works the same. A copy older than this
 * class reads {@code sharedStateV1} of a newer canonical copy, which this class still builds: the
 * agent's canceller and its outcomes reach such copies in the old encoding. The old list of
 * listeners holds a forwarder to the new one, so that an agent which tells only the old list still
 * reaches every listener; {@link #tellListeners} skips it, so no listener is told twice.
 */
public final class SharedState {
  public static final String TASKS = "tasks";
  public static final String REGISTRATION_LISTENER = "registrationListener";
  public static final String DEREGISTRATION_LISTENER = "deregistrationListener";
  public static final String LIMITS = "limits";
  public static final String RELEASE = "release";
  public static final String CANCELLER = "canceller";
  public static final String LISTENERS = "listeners";
  public static final String CANCELLER_V1 = "cancellerV1";
  public static final String LISTENERS_V1 = "listenersV1";

  public static final String ID = "id";
  public static final String OUTCOME = "outcome";
  public static final String ATTEMPTS = "attempts";
  public static final String ELAPSED = "elapsed";
  public static final String DETAIL = "detail";

  /** Added after the first wire: absent from an older copy's outcomes, read as 0. */
  public static final String HTTP_STATUS = "httpStatus";

  public static final String DEADLINE = "deadline";
  public static final String DURATION = "duration";

  private static final SharedState GLOBAL = locate();

  private final Map<String, Object> parts;
  private final ConcurrentMap<String, Object> tasks;
  private final AtomicReference<Consumer<String>> registrationListener;
  private final AtomicReference<Consumer<String>> deregistrationListener;
  private final ConcurrentMap<String, Map.Entry<Object, Long>> limits;
  private final AtomicReference<BiFunction<List<String>, Duration, Map<String, Object>>> canceller;
  private final CopyOnWriteArrayList<Consumer<Map<String, Object>>> listeners;
  private final AtomicReference<BiFunction<List<String>, Duration, Object[]>> cancellerV1;
  private final CopyOnWriteArrayList<Consumer<Object[]>> listenersV1;

  /** True when the canonical copy offers no cancel on demand at all. */
  private final boolean olderAgent;

  /** Reads every part by name; a part the canonical copy lacks is replaced by a private one. */
  private SharedState(Map<String, Object> offered) {
    // A canonical copy that shares its registrations but has no slot for a canceller.
    this.olderAgent =
        offered.containsKey(TASKS)
            && !offered.containsKey(CANCELLER)
            && !offered.containsKey(CANCELLER_V1);
    Map<String, Object> named = new HashMap<>(offered);
    this.tasks = part(named, TASKS, new ConcurrentHashMap<>());
    this.registrationListener = part(named, REGISTRATION_LISTENER, new AtomicReference<>());
    this.deregistrationListener = part(named, DEREGISTRATION_LISTENER, new AtomicReference<>());
    this.limits = part(named, LIMITS, new ConcurrentHashMap<>());
    this.canceller = part(named, CANCELLER, new AtomicReference<>());
    this.cancellerV1 = part(named, CANCELLER_V1, new AtomicReference<>());
    boolean ownListeners = !named.containsKey(LISTENERS);
    this.listeners = part(named, LISTENERS, new CopyOnWriteArrayList<>());
    this.listenersV1 = part(named, LISTENERS_V1, new CopyOnWriteArrayList<>());
    if (ownListeners) {
      // A canonical copy that tells outcomes only in the old encoding (or a fresh state, for the
      // copies older than this class): its old list carries them on to ours.
      listenersV1.addIfAbsent(new SharedStateV1.Forwarder(listeners));
    }
    named.putIfAbsent(RELEASE, new Release(this));
    this.parts = Map.copyOf(named);
  }

  @SuppressWarnings("unchecked")
  private static <T> T part(Map<String, Object> named, String name, T fallback) {
    Object offered = named.get(name);
    if (offered != null) {
      return (T) offered;
    }
    named.put(name, fallback);
    return fallback;
  }

  /** The state of this class loader's {@link TaskRegistry}: the canonical copy's, when shared. */
  public static SharedState global() {
    return GLOBAL;
  }

  /** A state shared with no one, as the canonical copy starts with. */
  static SharedState fresh() {
    return new SharedState(Map.of());
  }

  /**
   * The state the canonical copy {@code canonical} (a {@code TaskRegistry} class of another loader)
   * offers, in whichever version it speaks.
   *
   * @throws ReflectiveOperationException if it offers none
   */
  static SharedState sharedBy(Class<?> canonical) throws ReflectiveOperationException {
    Method v2 = sharedStateMethod(canonical, "sharedStateV2");
    if (v2 != null) {
      Map<?, ?> offered = (Map<?, ?>) v2.invoke(null);
      Map<String, Object> named = new HashMap<>();
      for (Map.Entry<?, ?> part : offered.entrySet()) {
        named.put((String) part.getKey(), part.getValue());
      }
      if (!named.containsKey(TASKS)) {
        throw new ReflectiveOperationException("the shared state has no " + TASKS);
      }
      return new SharedState(named);
    }
    Method v1 = sharedStateMethod(canonical, "sharedStateV1");
    if (v1 == null) {
      throw new NoSuchMethodException(canonical.getName() + " shares no state");
    }
    return new SharedState(SharedStateV1.parts(v1.invoke(null)));
  }

  /**
   * The state that {@code copy}, a {@code TaskRegistry} class of any class loader, holds: its own,
   * or the canonical copy's if it shares that. For an agent attached to a running JVM, which must
   * find the copies that initialised before it existed and so keep registrations of their own.
   * Calling it initialises {@code copy} if it was not yet.
   *
   * @throws ReflectiveOperationException if that copy offers no state this class can read
   */
  public static SharedState heldBy(Class<?> copy) throws ReflectiveOperationException {
    return sharedBy(copy);
  }

  /** True if this state and {@code other} hold the same registrations (one shares the other's). */
  public boolean sameRegistrationsAs(SharedState other) {
    return tasks == other.tasks;
  }

  private static Method sharedStateMethod(Class<?> canonical, String name) {
    try {
      Method method = canonical.getDeclaredMethod(name);
      method.setAccessible(true);
      return method;
    } catch (NoSuchMethodException older) {
      return null;
    }
  }

  private static SharedState locate() {
    try {
      // Not initialised here: when it is this loader's own class, its initialisation may be what
      // asked for this state.
      Class<?> canonical =
          Class.forName(TaskRegistry.class.getName(), false, ClassLoader.getSystemClassLoader());
      return locate(canonical, TaskRegistry.class);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException notShared) {
      // No copy visible to the system class loader, or an incompatible one: keep our own.
      return fresh();
    }
  }

  /**
   * The state of {@code canonical} as seen from {@code own}, this loader's {@code TaskRegistry}.
   * When they are the same class it keeps its state here, unless it is older than this class: an
   * application whose class path puts an older {@code lastcall-api} ahead of the agent's jar pairs
   * that {@code TaskRegistry} with the agent's newer copy of this class, and its state is then read
   * through {@code sharedStateV1}, as the agent read it before this class existed.
   */
  static SharedState locate(Class<?> canonical, Class<?> own) throws ReflectiveOperationException {
    if (canonical == own && sharedStateMethod(own, "sharedStateV2") != null) {
      return fresh();
    }
    return sharedBy(canonical);
  }

  /** The parts by name, as {@code TaskRegistry.sharedStateV2()} hands them out. Immutable. */
  public Map<String, Object> parts() {
    return parts;
  }

  /** The parts in the positional layout of {@code TaskRegistry.sharedStateV1()}. */
  public Object[] toV1() {
    return SharedStateV1.array(parts);
  }

  /** True if the canonical copy offers the part called {@code name}. */
  public boolean has(String name) {
    return parts.containsKey(name);
  }

  // --- registrations ---------------------------------------------------------------------------

  /** Records {@code handle} as the registration of {@code id}, then tells the agent. */
  public void register(String id, Object handle) {
    tasks.put(id, handle);
    // Read after the write: the agent installs its listener before it takes its snapshot, so a
    // registration racing shutdown is seen by at least one of the two.
    notify(registrationListener, id);
  }

  /** Like {@link #register(String, Object)}, with a time limit ending at {@code deadlineNanos}. */
  public void register(String id, Object handle, long deadlineNanos) {
    // The limit first: the agent, told of the registration, looks the limit up.
    limits.put(id, Map.entry(handle, deadlineNanos));
    register(id, handle);
  }

  /**
   * Deregisters {@code id} if {@code handle} is still its registration; drops the limit {@code
   * handle} set for it either way.
   *
   * @return true if it was deregistered
   */
  public boolean release(String id, Object handle) {
    if (handle == null) {
      return false;
    }
    boolean removed = tasks.remove(id, handle);
    clearLimit(id, handle);
    if (removed) {
      notify(deregistrationListener, id);
    }
    return removed;
  }

  /**
   * Deregisters {@code id} whichever handle registered it, with its limit.
   *
   * @return true if it was registered
   */
  public boolean deregister(String id) {
    Object removed = tasks.remove(id);
    if (removed == null) {
      return false;
    }
    clearLimit(id, removed);
    notify(deregistrationListener, id);
    return true;
  }

  private void clearLimit(String id, Object handle) {
    Map.Entry<Object, Long> limit = limits.get(id);
    if (limit != null && limit.getKey() == handle) {
      limits.remove(id, limit);
    }
  }

  private static void notify(AtomicReference<Consumer<String>> listener, String id) {
    Consumer<String> current = listener.get();
    if (current != null) {
      try {
        current.accept(id);
      } catch (RuntimeException | Error ignored) {
        // The listener belongs to the agent; its failure must never reach the application.
      }
    }
  }

  /** The current handle of {@code id}, or null if it is not registered. */
  public Object handle(String id) {
    return tasks.get(id);
  }

  /** True if {@code id} is registered now. */
  public boolean isRegistered(String id) {
    return tasks.containsKey(id);
  }

  /** An immutable copy of the registered ids, weakly consistent. */
  public Set<String> snapshot() {
    return Set.copyOf(tasks.keySet());
  }

  /** Every registered id with its handle, weakly consistent. */
  public Map<String, Object> registrations() {
    return Map.copyOf(tasks);
  }

  /** The registered ids, weakly consistent; for iteration without copying. */
  public Iterable<String> ids() {
    return tasks.keySet();
  }

  public int size() {
    return tasks.size();
  }

  public boolean isEmpty() {
    return tasks.isEmpty();
  }

  /** From now on tells {@code listener} (the agent's one, null for none) of every registration. */
  public void setRegistrationListener(Consumer<String> listener) {
    registrationListener.set(listener);
  }

  /** From now on tells {@code listener} (null for none) of every deregistration. */
  public void setDeregistrationListener(Consumer<String> listener) {
    deregistrationListener.set(listener);
  }

  // --- time limits -----------------------------------------------------------------------------

  /** True if {@code id} has a limit entry, current or left by a replaced registration. */
  public boolean hasLimitEntry(String id) {
    return limits.containsKey(id);
  }

  /**
   * The deadline ({@link System#nanoTime()}) that {@code handle} set for {@code id} when it
   * registered it, or null if that registration named no limit of its own.
   */
  public Long deadline(String id, Object handle) {
    Map.Entry<Object, Long> limit = limits.get(id);
    return limit != null && limit.getKey() == handle ? limit.getValue() : null;
  }

  // --- listeners -------------------------------------------------------------------------------

  /** Adds {@code listener} unless it is already added. */
  public void addListener(TaskListener listener) {
    listeners.addIfAbsent(new ListenerAdapter(listener));
  }

  /** Removes {@code listener}; true if it was added. */
  public boolean removeListener(TaskListener listener) {
    return listeners.remove(new ListenerAdapter(listener));
  }

  /**
   * Tells every application listener, of every copy of the api; one listener's failure reaches
   * neither the caller nor the others.
   */
  public void tellListeners(TaskOutcome outcome) {
    Map<String, Object> encoded = encode(outcome);
    for (Consumer<Map<String, Object>> listener : listeners) {
      tell(listener, encoded);
    }
    for (Consumer<Object[]> old : listenersV1) {
      if (!(old instanceof SharedStateV1.Forwarder)) { // its listeners were told just now
        tell(old, SharedStateV1.positionalOutcome(encoded));
      }
    }
  }

  private static <T> void tell(Consumer<T> listener, T outcome) {
    try {
      listener.accept(outcome);
    } catch (Throwable ignored) {
      // Each copy's own wrapper already catches; this is for a wrapper from an unknown copy.
    }
  }

  /** Turns an encoded outcome into this copy's {@link TaskOutcome} for one listener. */
  private static final class ListenerAdapter implements Consumer<Map<String, Object>> {
    private final TaskListener listener;

    ListenerAdapter(TaskListener listener) {
      this.listener = listener;
    }

    @Override
    public void accept(Map<String, Object> outcome) {
      try {
        listener.onOutcome(decodeOutcome(outcome));
      } catch (Throwable ignored) {
        // A listener's failure must reach neither the agent nor the other listeners.
      }
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof ListenerAdapter && ((ListenerAdapter) other).listener == listener;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(listener);
    }
  }

  // --- cancel on demand ------------------------------------------------------------------------

  /**
   * Installs the agent's cancel-on-demand function, replacing any earlier one; copies of the api
   * older than this class reach it too.
   */
  public void installCanceller(BiFunction<List<String>, Duration, Map<String, Object>> function) {
    canceller.set(function);
    cancellerV1.set(new SharedStateV1.Canceller(canceller));
  }

  /** Removes {@code function} if it is still the installed one. */
  public void uninstallCanceller(BiFunction<List<String>, Duration, Map<String, Object>> function) {
    if (canceller.compareAndSet(function, null)) {
      BiFunction<List<String>, Duration, Object[]> old = cancellerV1.get();
      if (old instanceof SharedStateV1.Canceller) {
        cancellerV1.compareAndSet(old, null);
      }
    }
  }

  /**
   * Asks the agent to cancel {@code ids} (null: every registered id) within {@code deadline} (null:
   * its configured timeout).
   *
   * @return the report, or null if no agent has installed a canceller
   */
  public CancelReport cancel(List<String> ids, Duration deadline) {
    BiFunction<List<String>, Duration, Map<String, Object>> agent = canceller.get();
    if (agent != null) {
      return decodeReport(agent.apply(ids, deadline));
    }
    BiFunction<List<String>, Duration, Object[]> olderAgentsCanceller = cancellerV1.get();
    if (olderAgentsCanceller != null) {
      return decodeReport(SharedStateV1.namedReport(olderAgentsCanceller.apply(ids, deadline)));
    }
    return null;
  }

  /** True when the canonical copy is too old for cancel on demand, whatever agent is attached. */
  public boolean isOlderAgent() {
    return olderAgent;
  }

  // --- encoding --------------------------------------------------------------------------------

  /** One outcome as JDK types, by name. */
  public static Map<String, Object> encode(TaskOutcome outcome) {
    return Map.of(
        ID,
        outcome.id(),
        OUTCOME,
        outcome.outcome().name(),
        ATTEMPTS,
        outcome.attempts(),
        ELAPSED,
        outcome.elapsed(),
        DETAIL,
        outcome.detail(),
        HTTP_STATUS,
        outcome.httpStatus());
  }

  /** A report as JDK types, by name. */
  public static Map<String, Object> encode(CancelReport report) {
    List<Map<String, Object>> tasks = new ArrayList<>(report.tasks().size());
    for (TaskOutcome outcome : report.tasks()) {
      tasks.add(encode(outcome));
    }
    return Map.of(
        DEADLINE, report.deadline(), DURATION, report.duration(), TASKS, List.copyOf(tasks));
  }

  /**
   * This copy's {@link TaskOutcome} of an encoded outcome. An outcome name this copy does not know
   * (a newer agent's) becomes {@link Outcome#FAILED} with the name kept in the detail.
   */
  public static TaskOutcome decodeOutcome(Map<String, ?> encoded) {
    String name = (String) encoded.get(OUTCOME);
    String detail = (String) encoded.get(DETAIL);
    Outcome outcome;
    try {
      outcome = Outcome.valueOf(name);
    } catch (IllegalArgumentException unknown) {
      outcome = Outcome.FAILED;
      detail = name + ": " + detail;
    }
    return new TaskOutcome(
        (String) encoded.get(ID),
        outcome,
        (Integer) encoded.get(ATTEMPTS),
        (Duration) encoded.get(ELAPSED),
        detail,
        // An older copy's outcome has no status: 0, as for no answer.
        encoded.get(HTTP_STATUS) instanceof Integer status ? status : 0);
  }

  /** This copy's {@link CancelReport} of an encoded report. */
  @SuppressWarnings("unchecked") // each task is an encoded outcome
  public static CancelReport decodeReport(Map<String, ?> encoded) {
    List<?> tasks = (List<?>) encoded.get(TASKS);
    List<TaskOutcome> outcomes = new ArrayList<>(tasks.size());
    for (Object task : tasks) {
      outcomes.add(decodeOutcome((Map<String, ?>) task));
    }
    return CancelReport.of(
        (Duration) encoded.get(DEADLINE), (Duration) encoded.get(DURATION), outcomes);
  }

  /** The {@value #RELEASE} part. A class, not a method reference: premain may build it. */
  private static final class Release implements BiPredicate<String, Object> {
    private final SharedState state;

    Release(SharedState state) {
      this.state = state;
    }

    @Override
    public boolean test(String id, Object handle) {
      return state.release(id, handle);
    }
  }
}
