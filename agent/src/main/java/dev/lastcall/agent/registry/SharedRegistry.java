package dev.lastcall.agent.registry;

import dev.lastcall.TaskOutcome;
import dev.lastcall.TaskRegistry;
import dev.lastcall.internal.SharedState;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The agent's one view of the application's {@link TaskRegistry}, through the state every copy of
 * the api shares ({@link SharedState}, which names the parts and owns their encoding):
 *
 * <ul>
 *   <li>the event feed: snapshots of what is registered, and subscriptions to what is registered
 *       and deregistered from now on (the shutdown cancel, the journal, time limits);
 *   <li>the while-running parts: handles and time limits of registrations, "deregister if still
 *       this handle", cancel on demand and the application's listeners.
 * </ul>
 *
 * <p>The agent installs one dispatcher per event kind in the shared state, once, and fans events
 * out to its own subscribers. An application that ships a {@code lastcall-api} older than the
 * agent's ahead of the agent jar is served all the same: {@link SharedState} reads that copy's
 * state in the version it speaks.
 */
public final class SharedRegistry {
  private static final SharedRegistry INSTANCE = connectOnce();

  private final SharedState state;
  private final List<Consumer<String>> onRegister = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> onDeregister = new CopyOnWriteArrayList<>();

  /** The handles tracking registers with ({@link #track}); compared by identity. */
  private final List<Object> trackingHandles = new CopyOnWriteArrayList<>();

  /**
   * The class loaders of the api copies {@link RegistryJoin} joined at attach; weak, so that a
   * web-app's loader can still be collected once the app is undeployed.
   */
  private final Set<ClassLoader> joinedLoaders =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private SharedRegistry(SharedState state) {
    this.state = state;
    state.setRegistrationListener(new Dispatcher(onRegister));
    state.setDeregistrationListener(new Dispatcher(onDeregister));
  }

  /** The process-wide registry. Never throws. */
  public static SharedRegistry connect() {
    return INSTANCE;
  }

  private static SharedRegistry connectOnce() {
    return new SharedRegistry(SharedState.global());
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

  /**
   * From now on, also hands every new registration to {@code sink}, on the registering thread,
   * after the registration is recorded. Subscribe before taking a {@link #snapshot()}: a
   * registration racing the snapshot is then seen by at least one of the two, so the sink must
   * tolerate an id it has already seen. Close the returned handle to unsubscribe.
   */
  public Subscription onRegistration(Consumer<String> sink) {
    onRegister.add(sink);
    return new Subscription(onRegister, sink);
  }

  /** From now on, also hands every deregistration to {@code sink}, like {@link #onRegistration}. */
  public Subscription onDeregistration(Consumer<String> sink) {
    onDeregister.add(sink);
    return new Subscription(onDeregister, sink);
  }

  /** A subscription to registry events; closing it is a list removal, which cannot fail. */
  public static final class Subscription implements AutoCloseable {
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
    return state.isEmpty();
  }

  /** The ids registered now. */
  public Set<String> snapshot() {
    return state.snapshot();
  }

  /** True if {@code id} is registered now. */
  public boolean isRegistered(String id) {
    return state.isRegistered(id);
  }

  /**
   * Registers {@code id}, found by tracking the application's own calls, unless it is registered
   * already (the application registered it itself: one registration, its own). Registration
   * listeners hear of it as of any other.
   */
  public void track(String id, Object handle) {
    if (!containsIdentical(trackingHandles, handle)) {
      trackingHandles.add(handle); // one constant handle in practice: Tracker's
    }
    if (!state.isRegistered(id)) {
      state.register(id, handle);
    }
  }

  private static boolean containsIdentical(List<Object> handles, Object handle) {
    for (Object known : handles) {
      if (known == handle) {
        return true;
      }
    }
    return false;
  }

  /**
   * How the registration of {@code id} that is current now was made, or null if {@code id} is not
   * registered: by tracking ({@link #track}), through a copy of the api joined at attach ({@link
   * RegistryJoin}), or else through the api.
   */
  public FoundBy foundBy(String id) {
    Object handle = state.handle(id);
    if (handle == null) {
      return null;
    }
    if (containsIdentical(trackingHandles, handle)) {
      return FoundBy.TRACKING;
    }
    return joinedLoaders.contains(handle.getClass().getClassLoader())
        ? FoundBy.JOINED
        : FoundBy.API;
  }

  /** Records a registration joined from another copy's state; see {@link RegistryJoin}. */
  void join(String id, Object handle, Long deadlineNanos) {
    ClassLoader loader = handle.getClass().getClassLoader();
    if (loader != null) { // a JDK class as a handle says nothing about where it came from
      joinedLoaders.add(loader);
    }
    if (deadlineNanos != null) {
      state.register(id, handle, deadlineNanos);
    } else {
      state.register(id, handle);
    }
  }

  /**
   * Ends a joined registration of {@code id} if its current one is still from {@code loader}'s
   * copy: that copy deregistered it.
   */
  void leave(String id, ClassLoader loader) {
    Object handle = state.handle(id);
    if (handle != null && handle.getClass().getClassLoader() == loader) {
      state.release(id, handle);
    }
  }

  /** The state this registry reads, for {@link RegistryJoin} to tell it from another copy's. */
  SharedState state() {
    return state;
  }

  /** Deregisters {@code id}, whoever registered it: the application's own calls showed it ended. */
  public void untrack(String id) {
    state.deregister(id);
  }

  // The while-running parts.

  /** The current handle of {@code id}, or null if it is not registered. */
  public Object handle(String id) {
    return state.handle(id);
  }

  /** Every registered id with its handle, weakly consistent. */
  public Map<String, Object> registrations() {
    return state.registrations();
  }

  /** The registered ids, weakly consistent; for iteration without copying. */
  public Iterable<String> ids() {
    return state.ids();
  }

  /** True if {@code id} has a limit of its own, current or stale. Allocation-free. */
  public boolean hasLimitEntry(String id) {
    return state.hasLimitEntry(id);
  }

  /**
   * The deadline ({@link System#nanoTime()}) that {@code handle} set for {@code id} when it
   * registered it, or null if that registration named no limit of its own.
   */
  public Long limitOf(String id, Object handle) {
    return state.deadline(id, handle);
  }

  /** Deregisters {@code id} if {@code handle} is still its registration. */
  public boolean release(String id, Object handle) {
    return state.release(id, handle);
  }

  /** Installs the cancel-on-demand function, replacing any earlier one. */
  public void installCanceller(BiFunction<List<String>, Duration, Map<String, Object>> function) {
    state.installCanceller(function);
  }

  /** Removes {@code function} if it is still the installed one. */
  public void uninstallCanceller(BiFunction<List<String>, Duration, Map<String, Object>> function) {
    state.uninstallCanceller(function);
  }

  /** Tells every application listener; one listener's failure reaches neither us nor the others. */
  public void tellListeners(TaskOutcome outcome) {
    state.tellListeners(outcome);
  }
}
