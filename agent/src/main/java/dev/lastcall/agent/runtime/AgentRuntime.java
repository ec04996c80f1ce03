package dev.lastcall.agent.runtime;

import dev.lastcall.CancelReport;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.client.ClientSource;
import dev.lastcall.agent.client.ClientWait;
import dev.lastcall.agent.client.PreparedClient;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.events.JfrEvents;
import dev.lastcall.agent.jmx.JmxStart;
import dev.lastcall.agent.journal.CrashJournal;
import dev.lastcall.agent.journal.Journals;
import dev.lastcall.agent.limits.TimeLimits;
import dev.lastcall.agent.ondemand.OnDemandCancel;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.registry.SharedRegistry.Subscription;
import dev.lastcall.agent.shutdown.DisabledShutdown;
import dev.lastcall.agent.shutdown.ShutdownRun;
import dev.lastcall.agent.tracking.TrackingStart;
import dev.lastcall.internal.Nanos;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The agent's life, from premain to the shutdown hook, in one place. It owns the one client (built
 * once by its {@link ClientSource} on the {@code lastcall-prepare} daemon thread, and handed out as
 * a {@link PreparedClient} to whoever waits for it), the journal, cancel on demand, time limits and
 * the shutdown.
 *
 * <ol>
 *   <li>{@link #start()}, from premain: opens the journal, installs cancel on demand (which waits
 *       for the client), and starts preparing the client at once with a journal (its sweep needs
 *       it) or else at the first registration: a JVM that never registers a task never loads OkHttp
 *       or Jackson.
 *   <li>The preparation thread builds the client; with it, sweeps dead journals in the background
 *       and starts time limits; then hands it out, warms up the shutdown path and, once a task is
 *       registered, opens the connection the shutdown will use and keeps it while tasks are
 *       registered ({@link WarmConnection}).
 *   <li>{@link #shutdown()}, from the hook, one ordered sequence bounded by {@code timeout}: time
 *       limits stop (the hook's cancel takes over their tasks), the client is awaited (not at all
 *       if nothing was ever registered), the {@link ShutdownRun} cancels and reports, the journal
 *       forgets what is finished, and every connection is closed so that the JVM's exit does not
 *       wait for a thread reading one.
 * </ol>
 *
 * <p>This class and what premain makes of it mention no client type, and premain spins up no lambda
 * here: the thread bodies and listeners are small named classes.
 */
public final class AgentRuntime implements ClientWait {
  private final AgentConfig config;
  private final ClientSource source;
  private final SharedRegistry registry;
  private final CrashJournal journal;
  private final WarmConnection warm;
  private final Handoff<PreparedClient> prepared = new Handoff<>();
  private final AtomicBoolean preparationStarted = new AtomicBoolean();

  private final Object lock = new Object();
  private final List<Subscription> subscriptions = new ArrayList<>(); // guarded by lock
  private OnDemandCancel onDemand; // guarded by lock
  private TimeLimits limits; // guarded by lock
  private ShutdownRun shutdown; // guarded by lock
  private boolean stopping; // guarded by lock: no time limits start once set
  private volatile boolean warmConnection = true;

  public AgentRuntime(AgentConfig config, ClientSource source, SharedRegistry registry) {
    this.config = config;
    this.source = source;
    this.registry = registry;
    this.journal = Journals.open(config, registry);
    this.warm = new WarmConnection(registry);
  }

  /**
   * premain's one call: the runtime of {@code config}, started, with its shutdown hook. An agent
   * that a refused value disabled gets only a hook that names the tasks it leaves running ({@link
   * DisabledShutdown}); one configured off ({@code enabled=false}) gets nothing.
   */
  public static void install(AgentConfig config, Instrumentation instrumentation) {
    install(
        config,
        instrumentation,
        ClientSource.environment(),
        TrackingStart.HOLD_OFF_AT_LAUNCH_MILLIS);
  }

  /**
   * {@link #install(AgentConfig, Instrumentation)} for an agent attached to a running JVM, whose
   * client reads the key from {@code env} (the key the {@code attach} command handed over, if any).
   *
   * @return what tells when tracking is in place ({@link TrackingStart.Ready#NONE} without it)
   */
  public static TrackingStart.Ready install(
      AgentConfig config, Instrumentation instrumentation, java.util.Map<String, String> env) {
    // Attached: the covered classes are usually loaded already, so tracking is built at once.
    return install(config, instrumentation, ClientSource.environment(env), 0);
  }

  private static TrackingStart.Ready install(
      AgentConfig config,
      Instrumentation instrumentation,
      ClientSource clientSource,
      long trackingHoldOffMillis) {
    SharedRegistry registry = SharedRegistry.connect();
    if (!config.enabled()) {
      if (config.disabledBecause().isPresent()) {
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(new DisabledShutdown(config, registry), "lastcall-shutdown"));
      }
      return TrackingStart.Ready.NONE;
    }
    AgentRuntime runtime = new AgentRuntime(config, clientSource, registry);
    runtime.start();
    TrackingStart.Ready tracking = TrackingStart.Ready.NONE;
    if (config.track() && instrumentation != null) {
      tracking =
          TrackingStart.inBackground(
              instrumentation,
              config.baseUrl(),
              config.agentBaseUrl(),
              registry,
              trackingHoldOffMillis);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(new OnShutdown(runtime), "lastcall-shutdown"));
    JfrEvents.install(instrumentation); // after our hook: JFR's is only ever run by it
    // The MXBean, registered once someone else creates the JMX server (JmxStart says why).
    JmxStart.start(
        registry, runtime.onDemandCancel(), config.timeout(), instrumentation, config.track());
    return tracking;
  }

  /**
   * Makes this runtime send nothing ahead of need: no warm connection ({@link WarmConnection}), so
   * the first request is the first cancel. For tests whose server counts every request it sees.
   * Call before {@link #start()}.
   */
  public AgentRuntime withoutWarmConnection() {
    warmConnection = false;
    return this;
  }

  /**
   * Starts everything but the hook: the journal (before main runs, so that every registration is on
   * disk before register returns), cancel on demand, the client's preparation.
   */
  public void start() {
    journal.start();
    warm.watch();
    installOnDemand();
    if (config.journal().isPresent()) {
      startPreparation(); // the sweep of dead journals needs the client now
    } else {
      startPreparationOnFirstRegistration();
    }
  }

  private void installOnDemand() {
    try {
      OnDemandCancel installed = new OnDemandCancel(config.timeout(), registry, this);
      registry.installCanceller(installed);
      synchronized (lock) {
        onDemand = installed;
      }
    } catch (RuntimeException | Error e) {
      whileRunningOff(e.toString());
    }
  }

  private static void whileRunningOff(String why) {
    AgentLog.line("time limits and cancel on demand are off, the rest of the agent works: " + why);
  }

  /** The cancel on demand {@link #start()} installed, or null if this api has none. */
  public OnDemandCancel onDemandCancel() {
    synchronized (lock) {
      return onDemand;
    }
  }

  /**
   * Starts the daemon thread that prepares the client, once; later calls do nothing. Cheap enough
   * to call from a registering thread.
   */
  public void startPreparation() {
    if (preparationStarted.compareAndSet(false, true)) {
      Thread thread = new Thread(new Prepare(this), "lastcall-prepare");
      thread.setDaemon(true);
      thread.start();
    }
  }

  /**
   * Prepares the client only once there is something it may have to cancel. Starts at once if tasks
   * are already registered (the agent was attached to a running JVM).
   */
  private void startPreparationOnFirstRegistration() {
    Subscription subscription = registry.onRegistration(new StartPreparation(this));
    synchronized (lock) {
      subscriptions.add(subscription);
    }
    if (!registry.isEmpty()) {
      startPreparation();
    }
  }

  @Override
  public PreparedClient await(long deadlineNanos) {
    startPreparation(); // normally long started, by premain or the first registration
    try {
      PreparedClient ready = prepared.await(deadlineNanos - System.nanoTime());
      return ready != null ? ready : PreparedClient.stillStarting();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return PreparedClient.stillStarting();
    }
  }

  /** On the preparation thread: everything slow or class-loading happens here. */
  private void prepare() {
    JfrEvents.arm(); // before the client: a recording's events are ready when the app is
    PreparedClient client;
    try {
      client = source.prepare(config);
    } catch (Throwable t) {
      client = PreparedClient.unavailable("the agent could not prepare its client: " + t);
    }
    if (client.ready()) {
      PreparedClient cancelWith = client;
      // Journals of JVMs that died without their hook (journal=...): swept on a thread of its own.
      journal.sweepInBackground(ids -> cancelWith.cancelAll(ids, config.timeout()));
      startLimits(client);
    } else {
      AgentLog.line(client.why());
      if (config.maxRuntime().isPresent()) {
        AgentLog.line("maxRuntime is set but time limits cannot be enforced: " + client.why());
      }
    }
    // Usable from here on: a hook that starts now need not wait for the warm-up below.
    prepared.complete(client);
    if (shutdownBegun()) {
      // A cold shutdown is cancelling with this client now: a warm-up would only take CPU from it
      // (on two cores, the difference between its calls running and waiting).
      return;
    }
    try {
      client.warmUp();
      ShutdownRun.warmUp(config, registry);
    } catch (Throwable t) {
      // Warming up only saves the hook time; the hook works without it.
    }
    if (client.ready() && warmConnection) {
      try {
        warm.keep(client); // returns at the shutdown (or close)
      } catch (Throwable t) {
        // The connection only saves the hook time; the hook opens its own without it.
      }
    }
  }

  private void startLimits(PreparedClient client) {
    synchronized (lock) {
      if (stopping || onDemand == null) { // no while-running parts with this api
        return;
      }
      try {
        limits =
            TimeLimits.start(registry, client, config.timeout(), config.maxRuntime().orElse(null));
      } catch (RuntimeException | Error e) {
        whileRunningOff(e.toString());
      }
    }
  }

  /**
   * The shutdown, from the hook: one ordered sequence, bounded by {@code timeout} from its start.
   * Never throws.
   */
  public void shutdown() {
    long start = System.nanoTime();
    long deadline = start + Nanos.clamp(config.timeout());
    try {
      warm.stop();
      stopLimits();
      PreparedClient client =
          !prepared.isDone() && registry.isEmpty()
              // Nothing to cancel: do not wait for a client that would have nothing to do.
              ? PreparedClient.unavailable("nothing was registered")
              : await(deadline);
      ShutdownRun run = new ShutdownRun(config, registry, client);
      synchronized (lock) {
        shutdown = run;
      }
      CancelReport report = run.run(start, deadline);
      journal.afterShutdownCancel(report);
    } catch (Throwable t) {
      // Never let a failure of ours become the application's.
      AgentLog.line("shutdown cancel failed: " + t);
    } finally {
      closeConnections();
      JfrEvents.afterShutdown(); // JFR's dumponexit, now that our events are in
    }
  }

  /**
   * Once the report is out: cancels what is still in flight (on demand, the sweep) and closes every
   * connection, so that no thread of ours is left reading a socket in native code, which HotSpot's
   * exit would wait for (up to 300 ms). The client stays usable: a later call opens a connection.
   */
  private void closeConnections() {
    PreparedClient client = prepared.valueIfDone();
    if (client != null) {
      try {
        client.closeConnections();
      } catch (Throwable t) {
        // Closing sockets: nothing left to do about a failure.
      }
    }
  }

  private boolean shutdownBegun() {
    synchronized (lock) {
      return stopping;
    }
  }

  private void stopLimits() {
    synchronized (lock) {
      stopping = true;
      if (limits != null) {
        limits.close();
        limits = null;
      }
    }
  }

  /**
   * Undoes {@link #start()} for a runtime that ends before its JVM (tests, in-process): stops time
   * limits and the feeds, removes cancel on demand from the registry and closes the client once it
   * is prepared. Does not wait for a preparation still under way.
   */
  public void close() {
    warm.stop();
    stopLimits();
    synchronized (lock) {
      if (onDemand != null) {
        registry.uninstallCanceller(onDemand);
        onDemand = null;
      }
      for (Subscription subscription : subscriptions) {
        subscription.close();
      }
      subscriptions.clear();
      if (shutdown != null) {
        shutdown.close();
      }
    }
    journal.close();
    PreparedClient client = prepared.valueIfDone();
    if (client != null) {
      client.close();
    }
  }

  // Thread bodies and listeners: small classes, not lambdas, since premain makes them.

  private static final class Prepare implements Runnable {
    private final AgentRuntime runtime;

    Prepare(AgentRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void run() {
      runtime.prepare();
    }
  }

  private static final class OnShutdown implements Runnable {
    private final AgentRuntime runtime;

    OnShutdown(AgentRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void run() {
      runtime.shutdown();
    }
  }

  /** Starts the preparation at a registration. */
  private static final class StartPreparation implements Consumer<String> {
    private final AgentRuntime runtime;

    StartPreparation(AgentRuntime runtime) {
      this.runtime = runtime;
    }

    @Override
    public void accept(String registeredId) {
      runtime.startPreparation();
    }
  }
}
