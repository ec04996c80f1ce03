package dev.lastcall;

import dev.lastcall.internal.Nanos;
import dev.lastcall.internal.SharedState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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

  private static final TaskRegistry GLOBAL = new TaskRegistry(SharedState.global());

  private final SharedState state;

  private TaskRegistry(SharedState state) {
    this.state = state;
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
    return register(cloud(taskId));
  }

  /**
   * Registers a task of either API family exactly as {@link #register(String)} registers a cloud
   * task: {@code register(TaskRef.v1Run(runId))} for a run of the v1 Agent API. The task is named
   * by its {@linkplain TaskRef#key() key} in {@link #snapshot()}, the report and the journal.
   *
   * @throws NullPointerException if {@code task} is null
   */
  public TrackedTask register(TaskRef task) {
    String key = Objects.requireNonNull(task, "task").key();
    TrackedTask handle = new TrackedTask(key, state);
    state.register(key, handle);
    return handle;
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
    return register(cloud(taskId), maxRuntime);
  }

  /**
   * Registers a task of either family with a time limit, exactly as {@link #register(String,
   * Duration)}.
   *
   * @throws NullPointerException if {@code task} is null
   * @throws IllegalArgumentException if {@code maxRuntime} is null, zero or negative
   */
  public TrackedTask register(TaskRef task, Duration maxRuntime) {
    String key = Objects.requireNonNull(task, "task").key();
    long limitNanos = limitNanos(maxRuntime);
    TrackedTask handle = new TrackedTask(key, state);
    state.register(key, handle, System.nanoTime() + limitNanos);
    return handle;
  }

  /**
   * {@code taskId} as a cloud task, refusing a v1 key with a message that says how to register a v1
   * run: the plain String methods keep meaning a cloud task.
   */
  private static TaskRef cloud(String taskId) {
    if (taskId != null && taskId.startsWith(Family.V1.keyPrefix())) {
      throw new IllegalArgumentException(
          "task id "
              + dev.lastcall.internal.Quoting.quote(taskId)
              + " looks like a v1 Agent API run's key; the String methods take a cloud task id:"
              + " name a v1 run with TaskRef.v1Run(runId), e.g. register(TaskRef.v1Run(runId))");
    }
    return TaskRef.cloud(taskId);
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
   * Removes {@code taskId} whichever handle registered it, and its time limit.
   *
   * @return true if it was registered
   * @throws IllegalArgumentException if {@code taskId} is not an acceptable id
   */
  public boolean deregister(String taskId) {
    return deregister(cloud(taskId));
  }

  /**
   * Removes a task of either family whichever handle registered it, and its time limit.
   *
   * @return true if it was registered
   */
  public boolean deregister(TaskRef task) {
    return state.deregister(Objects.requireNonNull(task, "task").key());
  }

  /** Returns true if the cloud task {@code taskId} is currently registered. */
  public boolean isRegistered(String taskId) {
    return isRegistered(cloud(taskId));
  }

  /** Returns true if {@code task} (of either family) is currently registered. */
  public boolean isRegistered(TaskRef task) {
    return state.isRegistered(Objects.requireNonNull(task, "task").key());
  }

  /**
   * Returns an immutable copy of the registered tasks' {@linkplain TaskRef#key() keys} (a cloud
   * task's id; {@code v1/RUNID} for a v1 run), weakly consistent with concurrent changes.
   */
  public Set<String> snapshot() {
    return state.snapshot();
  }

  /** Returns the number of registered tasks. */
  public int size() {
    return state.size();
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
    state.addListener(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Removes a listener added with {@link #addListener}.
   *
   * @return true if it was added
   */
  public boolean removeListener(TaskListener listener) {
    return listener != null && state.removeListener(listener);
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
    return cancel(cloud(taskId));
  }

  /**
   * Cancels one task of either family exactly as {@link #cancel(String)}; the report's entry is
   * named by the task's {@linkplain TaskRef#key() key}.
   */
  public CancelReport cancel(TaskRef task) {
    return callAgent(List.of(Objects.requireNonNull(task, "task").key()), null);
  }

  private CancelReport callAgent(List<String> ids, Duration deadline) {
    CancelReport report = state.cancel(ids, deadline);
    if (report != null) {
      return report;
    }
    throw new IllegalStateException(
        state.isOlderAgent()
            ? "cancelling tasks needs a Lastcall agent as new as this api: the copy of"
                + " dev.lastcall.TaskRegistry on the system class path is older; "
                + HOW_TO_ATTACH
                + " from the same release as the api"
            : "cancelling tasks needs the Lastcall agent, and none is attached to this JVM (or it"
                + " is disabled with enabled=false): "
                + HOW_TO_ATTACH);
  }

  @Override
  public String toString() {
    return "TaskRegistry{size=" + state.size() + "}";
  }

  /**
   * The state every copy of this class shares, by part name, for copies in other class loaders and
   * for the agent; {@link SharedState} names the parts and owns their use.
   */
  @SuppressWarnings("unused") // called reflectively
  private static Map<String, Object> sharedStateV2() {
    return SharedState.global().parts();
  }

  /**
   * The same state in the positional layout that copies of this class older than {@code
   * sharedStateV2} read. The name carries a version so that an incompatible change is a different
   * method, not a silent mismatch.
   */
  @SuppressWarnings("unused") // called reflectively
  private static Object[] sharedStateV1() {
    return SharedState.global().toV1();
  }
}
