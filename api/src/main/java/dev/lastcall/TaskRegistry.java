package dev.lastcall;

import dev.lastcall.internal.Nanos;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * The process-wide record of remote BLACKBOX tasks that must not outlive this JVM.
 *
 * <p>Register a task as soon as the API has given you its id, and close the returned {@link
 * TrackedTask} when the task is finished or no longer yours to stop. That is all an application
 * does; this class performs no I/O and works with no agent attached, where it only records. With
 * the Lastcall agent attached ({@code -javaagent:lastcall-agent.jar}), every task still registered
 * when the JVM is told to stop (SIGINT, SIGTERM, {@code System.exit}) is cancelled in parallel
 * within one bounded wait.
 *
 * <h2>While the application runs</h2>
 *
 * With the agent attached, two more things happen before shutdown:
 *
 * <ul>
 *   <li><b>Time limits.</b> A task registered with {@link #register(String, Duration) a maximum run
 *       time} (or, without one, the agent's {@code maxRuntime} setting) that is still registered
 *       when its limit passes is cancelled at once, while the application keeps running;
 *       {@linkplain #addListener listeners} are told the outcome, and a task confirmed finished is
 *       deregistered.
 *   <li><b>Cancel on demand.</b> {@link #cancelAll(Duration)} and {@link #cancel(String)} stop
 *       tasks without exiting (a user pressing Stop) and return the same {@link CancelReport} the
 *       shutdown hook makes.
 * </ul>
 *
 * Without the agent, limits are recorded but nothing enforces them, and the cancel methods throw
 * {@link IllegalStateException}.
 *
 * <h2>Nothing registered is lost</h2>
 *
 * When shutdown begins the agent first starts listening for new registrations, then takes a
 * {@linkplain #snapshot() snapshot}. A task registered while the shutdown hook runs is therefore
 * either in the snapshot or handed to the agent by {@code register} itself, and is cancelled within
 * the same deadline as the others; one registered after the deadline has passed still appears in
 * the agent's report, as timed out. Only a registration made after the report is written, in the
 * instant before the JVM halts, cannot be seen.
 *
 * <h2>One registry per JVM</h2>
 *
 * An application's copy of this class may be loaded by a class loader other than the system class
 * loader (a fat jar's nested-jar loader, a servlet container's web-app loader, a child-first plugin
 * loader). Every copy first looks for the copy the system class loader can see and, when it is
 * another class, shares that copy's state, which is built from JDK types only. The agent's jar
 * carries this class and sits on the system class path, so with the agent attached all copies share
 * one registry. Without the agent, a copy that the system class loader cannot see keeps its own
 * records, which nothing then reads.
 *
 * <h2>Cost</h2>
 *
 * Registration and close are lock-free map operations that allocate only the handle and the map's
 * entry; a registration with a time limit also writes one entry to a second map. All methods are
 * thread-safe.
 */
public final class TaskRegistry {

  private static final String HOW_TO_ATTACH =
      "start the JVM with -javaagent:/path/to/lastcall-agent.jar"
          + " and the BLACKBOX API key in the environment variable BLACKBOX_API_KEY (or the agent's"
          + " apiKeyFile setting)";

  private static final TaskRegistry GLOBAL = locateGlobal();

  private final ConcurrentMap<String, Object> tasks;
  private final AtomicReference<Consumer<String>> registrationListener;
  private final AtomicReference<Consumer<String>> deregistrationListener;
  private final ConcurrentMap<String, Map.Entry<Object, Long>> limits;
  private final AtomicReference<BiFunction<List<String>, Duration, Object[]>> canceller;
  private final CopyOnWriteArrayList<Consumer<Object[]>> listeners;

  /** Why cancelling cannot work in this copy even with an agent attached, or null. */
  private final String bridgeProblem;

  private TaskRegistry(
      ConcurrentMap<String, Object> tasks,
      AtomicReference<Consumer<String>> registrationListener,
      AtomicReference<Consumer<String>> deregistrationListener,
      ConcurrentMap<String, Map.Entry<Object, Long>> limits,
      AtomicReference<BiFunction<List<String>, Duration, Object[]>> canceller,
      CopyOnWriteArrayList<Consumer<Object[]>> listeners,
      String bridgeProblem) {
    this.tasks = tasks;
    this.registrationListener = registrationListener;
    this.deregistrationListener = deregistrationListener;
    this.limits = limits;
    this.canceller = canceller;
    this.listeners = listeners;
    this.bridgeProblem = bridgeProblem;
  }

  /** Returns the registry shared by the whole JVM. */
  public static TaskRegistry global() {
    return GLOBAL;
  }

  /**
   * Records that the remote task {@code taskId} must be cancelled if this JVM stops before the
   * returned handle is closed. Registering an id that is already registered replaces the earlier
   * registration: the task stays registered until the newest handle is closed or {@link
   * #deregister} is called.
   *
   * <p>The task gets the agent's default time limit (its {@code maxRuntime} setting), if one is
   * configured; otherwise none.
   *
   * @throws IllegalArgumentException if {@code taskId} is not an acceptable id (see {@link
   *     TaskIds}); the message says what is wrong and what is accepted
   */
  public TrackedTask register(String taskId) {
    TaskIds.requireValid(taskId);
    TrackedTask task = new TrackedTask(taskId, this);
    tasks.put(taskId, task);
    // Read after the write: the agent installs its listener before it takes its snapshot, so a
    // registration racing shutdown is seen by at least one of the two.
    notify(registrationListener, taskId);
    return task;
  }

  /**
   * Registers {@code taskId} like {@link #register(String)}, with a time limit: if the task is
   * still registered {@code maxRuntime} after this call (measured with {@link System#nanoTime()}),
   * the agent cancels it while the application keeps running, within the agent's configured {@code
   * timeout}. Every {@linkplain #addListener listener} is then told the outcome, and the task is
   * deregistered if the outcome is final ({@link Outcome#STOPPED}, {@link Outcome#ALREADY_DONE} or
   * {@link Outcome#NOT_FOUND}); otherwise it stays registered, so the shutdown hook (or {@link
   * #cancel}) still tries. This limit replaces the agent's default {@code maxRuntime} for this
   * task. Registering the same id again replaces its limit; deregistering it before the limit
   * passes means it is never cancelled for running too long.
   *
   * <p><b>Without the agent attached the limit is recorded but nothing enforces it.</b>
   *
   * @param maxRuntime how long the task may stay registered; limits longer than about 73 years are
   *     treated as 73 years
   * @throws IllegalArgumentException if {@code taskId} is not an acceptable id, or {@code
   *     maxRuntime} is null, zero or negative
   */
  public TrackedTask register(String taskId, Duration maxRuntime) {
    TaskIds.requireValid(taskId);
    long limitNanos = limitNanos(maxRuntime);
    TrackedTask task = new TrackedTask(taskId, this, System.nanoTime() + limitNanos);
    // The limit first: the agent, told of the registration, looks the limit up.
    limits.put(taskId, task.limit());
    tasks.put(taskId, task);
    notify(registrationListener, taskId);
    return task;
  }

  private static long limitNanos(Duration maxRuntime) {
    if (maxRuntime == null) {
      throw new IllegalArgumentException(
          "maxRuntime is null; it must be a positive duration (use register(taskId) for no limit of"
              + " its own)");
    }
    if (maxRuntime.isNegative() || maxRuntime.isZero()) {
      throw new IllegalArgumentException(
          "maxRuntime must be a positive duration but was " + maxRuntime);
    }
    return Nanos.clamp(maxRuntime);
  }

  /**
   * Called by {@link TrackedTask#close()}: removes the registration if {@code task} still owns it.
   */
  void release(String taskId, TrackedTask task) {
    boolean removed = tasks.remove(taskId, task);
    Map.Entry<Object, Long> limit = task.limit();
    if (limit != null) {
      // Even if a newer registration replaced this one: only this handle's own limit goes.
      limits.remove(taskId, limit);
    }
    if (removed) {
      notify(deregistrationListener, taskId);
    }
  }

  /**
   * Removes {@code taskId} if {@code handle} (of any copy of this class) is still its registration.
   */
  private boolean releaseHandle(String taskId, Object handle) {
    if (handle == null || !tasks.remove(taskId, handle)) {
      return false;
    }
    clearLimit(taskId, handle);
    notify(deregistrationListener, taskId);
    return true;
  }

  /**
   * Drops the limit {@code handle} set for {@code taskId}, if any; registrations without one never
   * touch the map.
   */
  private void clearLimit(String taskId, Object handle) {
    if (handle instanceof TrackedTask) {
      Map.Entry<Object, Long> limit = ((TrackedTask) handle).limit();
      if (limit != null) {
        limits.remove(taskId, limit);
      }
      return;
    }
    Map.Entry<Object, Long> limit = limits.get(taskId); // a handle of another copy of this class
    if (limit != null && limit.getKey() == handle) {
      limits.remove(taskId, limit);
    }
  }

  boolean owns(String taskId, TrackedTask task) {
    return tasks.get(taskId) == task;
  }

  private static void notify(AtomicReference<Consumer<String>> listener, String taskId) {
    Consumer<String> current = listener.get();
    if (current != null) {
      try {
        current.accept(taskId);
      } catch (RuntimeException | Error ignored) {
        // The listener belongs to the agent; its failure must never reach the application.
      }
    }
  }

  /**
   * Removes {@code taskId} whichever handle registered it, and its time limit.
   *
   * @return true if it was registered
   * @throws IllegalArgumentException if {@code taskId} is not an acceptable id
   */
  public boolean deregister(String taskId) {
    TaskIds.requireValid(taskId);
    Object removed = tasks.remove(taskId);
    if (removed == null) {
      return false;
    }
    clearLimit(taskId, removed);
    notify(deregistrationListener, taskId);
    return true;
  }

  /** Returns true if {@code taskId} is currently registered. */
  public boolean isRegistered(String taskId) {
    TaskIds.requireValid(taskId);
    return tasks.containsKey(taskId);
  }

  /** Returns an immutable copy of the registered ids, weakly consistent with concurrent changes. */
  public Set<String> snapshot() {
    return Set.copyOf(tasks.keySet());
  }

  /** Returns the number of registered tasks. */
  public int size() {
    return tasks.size();
  }

  // --- listeners -------------------------------------------------------------------------------

  /**
   * Adds a listener told the outcome of every task the agent cancels on its own while the
   * application runs (a task whose time limit passed). Adding a listener that is already added does
   * nothing. Listeners added through any copy of this class in the JVM are all told. Without the
   * agent attached nothing is cancelled, so listeners are never called.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public void addListener(TaskListener listener) {
    listeners.addIfAbsent(new ListenerAdapter(Objects.requireNonNull(listener, "listener")));
  }

  /**
   * Removes a listener added with {@link #addListener}.
   *
   * @return true if it was added
   */
  public boolean removeListener(TaskListener listener) {
    return listener != null && listeners.remove(new ListenerAdapter(listener));
  }

  /** Turns the agent's JDK-typed outcome into this copy's {@link TaskOutcome} for one listener. */
  private static final class ListenerAdapter implements Consumer<Object[]> {
    private final TaskListener listener;

    ListenerAdapter(TaskListener listener) {
      this.listener = listener;
    }

    @Override
    public void accept(Object[] outcome) {
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
   * Cancels every task registered now, in parallel, and returns within about {@code deadline}: for
   * an application that wants to stop its tasks without exiting (a user pressing Stop). The agent
   * does exactly what its shutdown hook does, with the same outcomes; tasks confirmed finished
   * ({@link Outcome#STOPPED}, {@link Outcome#ALREADY_DONE}) are deregistered, the others stay
   * registered. If the agent is still building its client, the wait for it counts against {@code
   * deadline}. Tasks registered after this call starts are not included.
   *
   * @param deadline the total time allowed, counted from now
   * @return one entry per task registered when the call started
   * @throws IllegalArgumentException if {@code deadline} is null or negative
   * @throws IllegalStateException if the Lastcall agent is not attached (or is disabled); the
   *     message says what to attach
   */
  public CancelReport cancelAll(Duration deadline) {
    if (deadline == null || deadline.isNegative()) {
      throw new IllegalArgumentException("deadline must be zero or positive but was " + deadline);
    }
    return callAgent(null, deadline);
  }

  /**
   * Cancels one task, registered or not, within the agent's configured {@code timeout}, exactly as
   * {@link #cancelAll} would; if it is registered and confirmed finished, it is deregistered.
   *
   * @return a report with one entry, for {@code taskId}
   * @throws IllegalArgumentException if {@code taskId} is not an acceptable id
   * @throws IllegalStateException if the Lastcall agent is not attached (or is disabled); the
   *     message says what to attach
   */
  public CancelReport cancel(String taskId) {
    TaskIds.requireValid(taskId);
    return callAgent(List.of(taskId), null);
  }

  private CancelReport callAgent(List<String> ids, Duration deadline) {
    BiFunction<List<String>, Duration, Object[]> agent = canceller.get();
    if (agent == null) {
      throw new IllegalStateException(
          bridgeProblem != null
              ? bridgeProblem
              : "cancelling tasks needs the Lastcall agent, and none is attached to this JVM (or it"
                  + " is disabled with enabled=false): "
                  + HOW_TO_ATTACH);
    }
    return decodeReport(agent.apply(ids, deadline));
  }

  private static CancelReport decodeReport(Object[] report) {
    List<?> tasks = (List<?>) report[2];
    List<TaskOutcome> outcomes = new ArrayList<>(tasks.size());
    for (Object task : tasks) {
      outcomes.add(decodeOutcome((Object[]) task));
    }
    return CancelReport.of((Duration) report[0], (Duration) report[1], outcomes);
  }

  private static TaskOutcome decodeOutcome(Object[] task) {
    String name = (String) task[1];
    String detail = (String) task[4];
    Outcome outcome;
    try {
      outcome = Outcome.valueOf(name);
    } catch (IllegalArgumentException unknown) {
      // A newer agent than this copy of the api: keep its word in the detail.
      outcome = Outcome.FAILED;
      detail = name + ": " + detail;
    }
    return new TaskOutcome(
        (String) task[0], outcome, (Integer) task[2], (Duration) task[3], detail);
  }

  @Override
  public String toString() {
    return "TaskRegistry{size=" + tasks.size() + "}";
  }

  /**
   * The state every copy of this class shares, for copies in other class loaders and for the agent,
   * in JDK types only so that it crosses class loaders:
   *
   * <ol start="0">
   *   <li>{@code ConcurrentMap<String, Object>}: the registered ids, each to its handle;
   *   <li>{@code AtomicReference<Consumer<String>>}: told of every registration, after it is made;
   *   <li>{@code AtomicReference<Consumer<String>>}: told of every deregistration, after it is
   *       made;
   *   <li>{@code ConcurrentMap<String, Map.Entry<Object, Long>>}: the time limits, id to (the
   *       handle that set it, its deadline in {@link System#nanoTime()}); written before the
   *       registration it belongs to, and only by registrations that name a limit. An entry whose
   *       handle is not the id's current handle is stale and means "no limit of its own";
   *   <li>{@code AtomicReference<BiFunction<List<String>, Duration, Object[]>>}: cancel on demand,
   *       installed by the agent. Takes the ids (null: every registered id) and the deadline (null:
   *       the agent's configured timeout); returns a report {@code {Duration deadline, Duration
   *       duration, List<Object[]> tasks}}, each task {@code {String id, String outcome (an Outcome
   *       name), Integer attempts, Duration elapsed, String detail}}. Deregisters confirmed tasks;
   *   <li>{@code CopyOnWriteArrayList<Consumer<Object[]>>}: the listeners, each told one task
   *       outcome shaped as above; each copy wraps its own {@link TaskListener}s;
   *   <li>{@code BiPredicate<String, Object>}: "deregister this id if this handle is still its
   *       registration", clearing its limit and telling element 2, for the agent.
   * </ol>
   *
   * Elements are only ever appended, so a reader checks the length for what it needs. The name
   * carries a version so that an incompatible change is a different method, not a silent mismatch.
   */
  @SuppressWarnings("unused") // called reflectively
  private static Object[] sharedStateV1() {
    // A class, not a method reference: this runs in the agent's premain, where a lambda would be
    // spun up on the application's thread.
    BiPredicate<String, Object> release =
        new BiPredicate<String, Object>() {
          @Override
          public boolean test(String id, Object handle) {
            return GLOBAL.releaseHandle(id, handle);
          }
        };
    return new Object[] {
      GLOBAL.tasks,
      GLOBAL.registrationListener,
      GLOBAL.deregistrationListener,
      GLOBAL.limits,
      GLOBAL.canceller,
      GLOBAL.listeners,
      release
    };
  }

  @SuppressWarnings("unchecked")
  private static TaskRegistry locateGlobal() {
    try {
      ClassLoader system = ClassLoader.getSystemClassLoader();
      Class<?> canonical = Class.forName(TaskRegistry.class.getName(), true, system);
      if (canonical != TaskRegistry.class) {
        Method shared = canonical.getDeclaredMethod("sharedStateV1");
        shared.setAccessible(true);
        Object[] state = (Object[]) shared.invoke(null);
        boolean complete = state.length >= 6;
        return new TaskRegistry(
            (ConcurrentMap<String, Object>) state[0],
            (AtomicReference<Consumer<String>>) state[1],
            (AtomicReference<Consumer<String>>) state[2],
            complete
                ? (ConcurrentMap<String, Map.Entry<Object, Long>>) state[3]
                : new ConcurrentHashMap<>(),
            complete
                ? (AtomicReference<BiFunction<List<String>, Duration, Object[]>>) state[4]
                : new AtomicReference<>(),
            complete
                ? (CopyOnWriteArrayList<Consumer<Object[]>>) state[5]
                : new CopyOnWriteArrayList<>(),
            complete
                ? null
                : "cancelling tasks needs a Lastcall agent as new as this api: the copy of"
                    + " dev.lastcall.TaskRegistry on the system class path is older; "
                    + HOW_TO_ATTACH
                    + " from the same release as the api");
      }
    } catch (ReflectiveOperationException | LinkageError | RuntimeException notShared) {
      // No copy visible to the system class loader, or an incompatible one: keep our own.
    }
    return new TaskRegistry(
        new ConcurrentHashMap<>(),
        new AtomicReference<>(),
        new AtomicReference<>(),
        new ConcurrentHashMap<>(),
        new AtomicReference<>(),
        new CopyOnWriteArrayList<>(),
        null);
  }
}
