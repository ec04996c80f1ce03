package dev.lastcall.agent.snapshot;

import dev.lastcall.TaskRegistry;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The agent's view of the application's {@link TaskRegistry}: snapshots of what is registered, and
 * feeds of what is registered and deregistered from now on.
 *
 * <p>The registry keeps its state in JDK types and exposes it through the versioned private method
 * {@code sharedStateV1}, the same bridge that copies of the api in other class loaders use. The
 * agent installs one dispatcher per event kind there, once, and fans events out to its own
 * subscribers (the shutdown cancel, the journal, time limits). If the application ships an older
 * api without the bridge, snapshots still work and subscriptions simply see nothing; the shutdown
 * hook then looks again before it finishes.
 */
public final class RegistryFeed {
  private static final RegistryFeed INSTANCE = connectOnce();

  private final TaskRegistry registry;
  private final ConcurrentMap<String, Object> tasks;
  private final boolean bridged;
  private final List<Consumer<String>> onRegister = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> onDeregister = new CopyOnWriteArrayList<>();

  private RegistryFeed(
      TaskRegistry registry,
      ConcurrentMap<String, Object> tasks,
      AtomicReference<Consumer<String>> registrations,
      AtomicReference<Consumer<String>> deregistrations) {
    this.registry = registry;
    this.tasks = tasks;
    this.bridged = registrations != null;
    if (registrations != null) {
      registrations.set(new Dispatcher(onRegister));
    }
    if (deregistrations != null) {
      deregistrations.set(new Dispatcher(onDeregister));
    }
  }

  /** The feed of the process-wide registry. Never throws. */
  public static RegistryFeed connect() {
    return INSTANCE;
  }

  @SuppressWarnings("unchecked")
  private static RegistryFeed connectOnce() {
    TaskRegistry registry = TaskRegistry.global();
    try {
      Method shared = TaskRegistry.class.getDeclaredMethod("sharedStateV1");
      shared.setAccessible(true);
      Object[] state = (Object[]) shared.invoke(null);
      return new RegistryFeed(
          registry,
          (ConcurrentMap<String, Object>) state[0],
          (AtomicReference<Consumer<String>>) state[1],
          state.length > 2 ? (AtomicReference<Consumer<String>>) state[2] : null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError noBridge) {
      return new RegistryFeed(registry, null, null, null);
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
}
