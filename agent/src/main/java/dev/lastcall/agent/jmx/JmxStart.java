package dev.lastcall.agent.jmx;

import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.registry.SharedRegistry.Subscription;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Registers {@code dev.lastcall:type=TaskRegistry} in the platform MBean server once someone else
 * has created that server, never before. This class is what premain touches (JDK and agent types
 * only: nothing of {@code java.management} is loaded on premain's thread, {@code
 * PremainDisciplineIT} checks it).
 *
 * <p><b>Why not earlier.</b> Creating the platform MBean server is neither cheap nor neutral. It
 * took 250-470 ms of CPU and some 950 classes on the 2-core machine the tests run on; and it fixes
 * the server's builder ({@code javax.management.builder.initial}) and, through the platform logging
 * MXBean, initialises {@code java.util.logging.LogManager}, which reads {@code
 * java.util.logging.manager} once. JBoss and WildFly set both up from their own {@code main} (their
 * log manager is visible only once JBoss Modules runs), and an agent that touches JMX first makes
 * them fail to boot; Datadog's agent waits for those classes to be loaded by the application before
 * starting JMXFetch for that reason. Waiting for the server itself covers every such case at once:
 * whoever creates it (the container, {@code -Dcom.sun.management.jmxremote}, jconsole or JDK
 * Mission Control attaching, {@code jcmd ManagementAgent.start}, {@code tasks PID}) has made those
 * choices, and ours only joins their server. A JVM nobody looks at with JMX never loads {@code
 * java.management} for us.
 *
 * <p><b>How.</b> {@link ServerWatch}, a transformer that compares class names and changes nothing,
 * is told when {@code com.sun.jmx.mbeanserver.JmxMBeanServer} (the JDK's MBean server) is loaded,
 * and starts the {@code lastcall-jmx} thread, which asks for the platform server (waiting, inside
 * {@code ManagementFactory}, for its creator to finish) and registers the bean. A server created
 * before the watch was added (by an earlier agent's premain, or before an attach) is found at the
 * first registration of a task, by one look at the classes the bootstrap loader has, on a thread of
 * its own. With {@code track=off} the agent adds no transformer at all (a promise {@code
 * ZeroCodeIT} checks): that thread then keeps looking, every {@value #LOOK_EVERY_MILLIS} ms, until
 * the server is there. A failure is one stderr line; the rest of the agent works without the bean.
 */
public final class JmxStart {
  /** With {@code track=off}: how often the check thread looks for the server. */
  static final long LOOK_EVERY_MILLIS = 2000;

  private JmxStart() {}

  /**
   * Starts following registrations (for their age) and watching for the MBean server. Call from
   * premain or agentmain's thread; never throws.
   *
   * @param canceller the runtime's cancel on demand, or null when the api has none (then the
   *     operations say so)
   * @param mayTransform false with {@code track=off}: no transformer, the server is looked for
   */
  public static void start(
      SharedRegistry registry,
      BiFunction<List<String>, Duration, Map<String, Object>> canceller,
      Duration timeout,
      Instrumentation instrumentation,
      boolean mayTransform) {
    try {
      if (instrumentation == null) {
        return; // nothing to watch the class loading with
      }
      RegistrationAges ages = RegistrationAges.follow(registry);
      ServerWatch watch =
          new ServerWatch(
              instrumentation,
              new Registration(new TaskRegistryBean(registry, ages, canceller, timeout)));
      if (mayTransform) {
        instrumentation.addTransformer(watch);
      }
      FirstRegistration first = new FirstRegistration(watch, !mayTransform);
      first.subscription = registry.onRegistration(first);
      if (!registry.isEmpty()) {
        first.accept(null); // attached to a JVM that has tasks already
      }
    } catch (Throwable t) {
      AgentLog.line("the JMX bean is off, the rest of the agent works: " + t);
    }
  }

  /**
   * Registers the bean, made in premain (a plain object over the registry: nothing of {@code
   * java.management} loads until {@link JmxRegistration}); run by {@link ServerWatch} on the {@code
   * lastcall-jmx} thread.
   */
  static final class Registration implements Runnable {
    private final TaskRegistryBean bean;

    Registration(TaskRegistryBean bean) {
      this.bean = bean;
    }

    @Override
    public void run() {
      try {
        JmxRegistration.register(bean);
      } catch (Throwable t) {
        AgentLog.line("the JMX bean is off, the rest of the agent works: " + t);
      }
    }
  }

  /**
   * At the first registration, once: looks whether the MBean server was loaded before the watch was
   * added, on a {@code lastcall-jmx-check} thread (the look copies the bootstrap loader's class
   * list: not for the application's thread). A class, not a lambda, since premain makes it.
   */
  private static final class FirstRegistration implements Consumer<String>, Runnable {
    private final ServerWatch watch;
    private final boolean keepLooking;
    private final AtomicBoolean started = new AtomicBoolean();
    volatile Subscription subscription;

    FirstRegistration(ServerWatch watch, boolean keepLooking) {
      this.watch = watch;
      this.keepLooking = keepLooking;
    }

    @Override
    public void accept(String registeredId) {
      if (!started.compareAndSet(false, true)) {
        return;
      }
      Subscription done = subscription;
      if (done != null) {
        done.close();
      }
      if (watch.fired()) {
        return;
      }
      try {
        Thread thread = new Thread(this, "lastcall-jmx-check");
        thread.setDaemon(true);
        thread.start();
      } catch (Throwable t) {
        AgentLog.line("the JMX bean is off, the rest of the agent works: " + t);
      }
    }

    @Override
    public void run() {
      try {
        watch.fireIfLoaded();
        while (keepLooking && !watch.fired()) {
          Thread.sleep(LOOK_EVERY_MILLIS); // track=off: no transformer to be told by, so look
          watch.fireIfLoaded();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
