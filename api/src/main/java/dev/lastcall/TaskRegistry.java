package dev.lastcall;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The process-wide record of remote BLACKBOX tasks that must not outlive this JVM.
 *
 * <p>Register a task as soon as the API has given you its id, and close the returned
 * {@link TrackedTask} when the task is finished or no longer yours to stop. That is all an
 * application does; this class performs no I/O and works with no agent attached, where it only
 * records. With the Lastcall agent attached ({@code -javaagent:lastcall-agent.jar}), every task
 * still registered when the JVM is told to stop (SIGINT, SIGTERM, {@code System.exit}) is
 * cancelled in parallel within one bounded wait.
 *
 * <h2>Nothing registered is lost</h2>
 * When shutdown begins the agent first starts listening for new registrations, then takes a
 * {@linkplain #snapshot() snapshot}. A task registered while the shutdown hook runs is therefore
 * either in the snapshot or handed to the agent by {@code register} itself, and is cancelled
 * within the same deadline as the others; one registered after the deadline has passed still
 * appears in the agent's report, as timed out. Only a registration made after the report is
 * written, in the instant before the JVM halts, cannot be seen.
 *
 * <h2>One registry per JVM</h2>
 * An application's copy of this class may be loaded by a class loader other than the system
 * class loader (a fat jar's nested-jar loader, a servlet container's web-app loader, a
 * child-first plugin loader). Every copy first looks for the copy the system class loader can
 * see and, when it is another class, shares that copy's state, which is built from JDK types
 * only. The agent's jar carries this class and sits on the system class path, so with the agent
 * attached all copies share one registry. Without the agent, a copy that the system class loader
 * cannot see keeps its own records, which nothing then reads.
 *
 * <h2>Cost</h2>
 * Registration and close are lock-free map operations that allocate only the handle and the
 * map's entry. All methods are thread-safe.
 */
public final class TaskRegistry {
  private static final TaskRegistry GLOBAL = locateGlobal();

  private final ConcurrentMap<String, Object> tasks;
  private final AtomicReference<Consumer<String>> registrationListener;
  private final AtomicReference<Consumer<String>> deregistrationListener;

  private TaskRegistry(
      ConcurrentMap<String, Object> tasks,
      AtomicReference<Consumer<String>> registrationListener,
      AtomicReference<Consumer<String>> deregistrationListener) {
    this.tasks = tasks;
    this.registrationListener = registrationListener;
    this.deregistrationListener = deregistrationListener;
  }

  /** Returns the registry shared by the whole JVM. */
  public static TaskRegistry global() {
    return GLOBAL;
  }

  /**
   * Records that the remote task {@code taskId} must be cancelled if this JVM stops before the
   * returned handle is closed. Registering an id that is already registered replaces the earlier
   * registration: the task stays registered until the newest handle is closed or
   * {@link #deregister} is called.
   *
   * @throws IllegalArgumentException if {@code taskId} is not an acceptable id (see
   *     {@link TaskIds}); the message says what is wrong and what is accepted
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

  /** Called by {@link TrackedTask#close()}: removes the registration if {@code task} still owns it. */
  void release(String taskId, TrackedTask task) {
    if (tasks.remove(taskId, task)) {
      notify(deregistrationListener, taskId);
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
   * Removes {@code taskId} whichever handle registered it.
   *
   * @return true if it was registered
   * @throws IllegalArgumentException if {@code taskId} is not an acceptable id
   */
  public boolean deregister(String taskId) {
    TaskIds.requireValid(taskId);
    if (tasks.remove(taskId) == null) {
      return false;
    }
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

  @Override
  public String toString() {
    return "TaskRegistry{size=" + tasks.size() + "}";
  }

  /**
   * The state every copy of this class shares, for copies in other class loaders and for the
   * agent, in JDK types only so that it crosses class loaders:
   * <ol start="0">
   *   <li>{@code ConcurrentMap<String, Object>}: the registered ids;
   *   <li>{@code AtomicReference<Consumer<String>>}: told of every registration, after it is made;
   *   <li>{@code AtomicReference<Consumer<String>>}: told of every deregistration, after it is made.
   * </ol>
   * Elements are only ever appended, so a reader checks the length for what it needs. The name
   * carries a version so that an incompatible change is a different method, not a silent mismatch.
   */
  @SuppressWarnings("unused") // called reflectively
  private static Object[] sharedStateV1() {
    return new Object[] {GLOBAL.tasks, GLOBAL.registrationListener, GLOBAL.deregistrationListener};
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
        return new TaskRegistry(
            (ConcurrentMap<String, Object>) state[0],
            (AtomicReference<Consumer<String>>) state[1],
            (AtomicReference<Consumer<String>>) state[2]);
      }
    } catch (ReflectiveOperationException | LinkageError | RuntimeException notShared) {
      // No copy visible to the system class loader, or an incompatible one: keep our own.
    }
    return new TaskRegistry(new ConcurrentHashMap<>(), new AtomicReference<>(), new AtomicReference<>());
  }
}
