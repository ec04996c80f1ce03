package dev.lastcall.agent.jmx;

import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.attach.AttachProtocol;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.registry.SharedRegistry.Subscription;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Registers {@code dev.lastcall:type=TaskRegistry} late, on a {@code lastcall-jmx} daemon thread
 * started at the first registration of a task: this class is what premain touches (JDK and agent
 * types only; nothing of {@code java.management} is loaded on premain's thread, {@code
 * PremainDisciplineIT} checks it), and a JVM that never registers a task pays nothing for JMX.
 *
 * <p><b>When.</b> Creating the platform MBean server is not neutral: it fixes the server's builder
 * ({@code javax.management.builder.initial}) and, through the platform logging MXBean, initialises
 * {@code java.util.logging.LogManager}, reading {@code java.util.logging.manager} once. JBoss and
 * WildFly set both up from their own {@code main} (their log manager class is visible only once
 * JBoss Modules runs): an agent that touches JMX in premain, or early on a thread of its own, makes
 * them fail to boot ("The logging subsystem requires the log manager to be
 * org.jboss.logmanager.LogManager"). So:
 *
 * <ol>
 *   <li>With {@code -javaagent}, the thread (started at the first registration) first waits until
 *       {@code main} runs (the bottom frame of premain's thread is the application's {@code main},
 *       polled every 10 ms, at most {@value #MAIN_WAIT_SECONDS} s; at once if that thread has
 *       ended). An attached agent does not wait: the application is running.
 *   <li>In a JVM that names its own log manager ({@code java.util.logging.manager}, or the JBoss
 *       Modules launcher), it waits until someone else has loaded {@code
 *       java.util.logging.LogManager}; in one that names its own MBean server builder ({@code
 *       javax.management.builder.initial}, or JBoss Modules), until someone else has loaded {@code
 *       javax.management.MBeanServerBuilder} ({@link ClassLoadWatch}: a transformer that only looks
 *       at class names, told of the load). The application has then made its choice, which ours
 *       joins. Both waits together are bounded by {@value #CONTAINER_WAIT_SECONDS} s, after which
 *       the bean is registered anyway. This is what Datadog's agent does before it starts JMXFetch
 *       (the same two classes, a one-minute fail-safe); the OpenTelemetry Java agent waits for
 *       {@code LogManager} likewise (on Java 8).
 *   <li>Otherwise it registers at once: a plain application's first {@code
 *       getPlatformMBeanServer()} call gets the same server either way.
 * </ol>
 *
 * A failure is one stderr line; the rest of the agent works without the bean.
 */
public final class JmxStart {
  static final int MAIN_WAIT_SECONDS = 10;
  static final int CONTAINER_WAIT_SECONDS = 60;
  private static final String LOG_MANAGER = "java/util/logging/LogManager";
  private static final String MBEAN_SERVER_BUILDER = "javax/management/MBeanServerBuilder";

  private JmxStart() {}

  /**
   * Starts following registrations (for their age) and the thread that registers the bean. Call
   * from premain or agentmain's thread; never throws.
   *
   * @param canceller the runtime's cancel on demand, or null when the api has none (then the
   *     operations say so)
   */
  public static void start(
      SharedRegistry registry,
      BiFunction<List<String>, Duration, Map<String, Object>> canceller,
      Duration timeout,
      Instrumentation instrumentation) {
    try {
      RegistrationAges ages = RegistrationAges.follow(registry);
      boolean premain = "premain".equals(System.getProperty(AttachProtocol.LOADED));
      RegisterLater later =
          new RegisterLater(
              premain ? Thread.currentThread() : null,
              instrumentation,
              registry,
              ages,
              canceller,
              timeout);
      FirstRegistration first = new FirstRegistration(later);
      first.subscription = registry.onRegistration(first);
      if (!registry.isEmpty()) {
        first.accept(null); // attached to a JVM that has tasks already
      }
    } catch (Throwable t) {
      AgentLog.line("the JMX bean is off, the rest of the agent works: " + t);
    }
  }

  /**
   * Starts the {@code lastcall-jmx} thread at the first registration, once: a JVM that never
   * registers a task never loads {@code java.management} for us nor creates the platform MBean
   * server. A class, not a lambda, since premain makes it.
   */
  private static final class FirstRegistration implements Consumer<String> {
    private final RegisterLater later;
    private final AtomicBoolean started = new AtomicBoolean();
    volatile Subscription subscription;

    FirstRegistration(RegisterLater later) {
      this.later = later;
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
      try {
        Thread thread = new Thread(later, "lastcall-jmx");
        thread.setDaemon(true);
        thread.start();
      } catch (Throwable t) {
        AgentLog.line("the JMX bean is off, the rest of the agent works: " + t);
      }
    }
  }

  /** The thread's body: a class, not a lambda, since premain makes it. */
  private static final class RegisterLater implements Runnable {
    private final Thread premainThread;
    private final Instrumentation instrumentation;
    private final SharedRegistry registry;
    private final RegistrationAges ages;
    private final BiFunction<List<String>, Duration, Map<String, Object>> canceller;
    private final Duration timeout;

    RegisterLater(
        Thread premainThread,
        Instrumentation instrumentation,
        SharedRegistry registry,
        RegistrationAges ages,
        BiFunction<List<String>, Duration, Map<String, Object>> canceller,
        Duration timeout) {
      this.premainThread = premainThread;
      this.instrumentation = instrumentation;
      this.registry = registry;
      this.ages = ages;
      this.canceller = canceller;
      this.timeout = timeout;
    }

    @Override
    public void run() {
      try {
        if (premainThread != null) {
          awaitMain(premainThread);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONTAINER_WAIT_SECONDS);
        if (bringsItsOwnLogManager()) {
          ClassLoadWatch.await(instrumentation, LOG_MANAGER, end);
        }
        if (bringsItsOwnMBeanServerBuilder()) {
          ClassLoadWatch.await(instrumentation, MBEAN_SERVER_BUILDER, end);
        }
        JmxRegistration.register(new TaskRegistryBean(registry, ages, canceller, timeout));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable t) {
        AgentLog.line("the JMX bean is off, the rest of the agent works: " + t);
      }
    }
  }

  /** Waits (bounded) until the application's {@code main} is on {@code premainThread}'s stack. */
  static void awaitMain(Thread premainThread) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAIN_WAIT_SECONDS);
    while (premainThread.isAlive() && System.nanoTime() - end < 0) {
      if (runsMain(premainThread.getStackTrace())) {
        return;
      }
      Thread.sleep(10); // a poll: the JDK tells no one when main starts
    }
  }

  /**
   * True when the bottom frame is a {@code main} method of the application: not premain's caller
   * ({@code sun.instrument}) nor the launcher's class loading ({@code sun.launcher}).
   */
  static boolean runsMain(StackTraceElement[] stack) {
    if (stack.length == 0) {
      return false; // between premain and main
    }
    StackTraceElement bottom = stack[stack.length - 1];
    String type = bottom.getClassName();
    return bottom.getMethodName().equals("main")
        && !type.startsWith("sun.instrument.")
        && !type.startsWith("sun.launcher.");
  }

  /** True for a JVM that names its own log manager: JBoss, WildFly, log4j-jul... */
  static boolean bringsItsOwnLogManager() {
    return System.getProperty("java.util.logging.manager") != null || jbossModules();
  }

  /** True for a JVM that names its own MBean server builder: JBoss, WildFly... */
  static boolean bringsItsOwnMBeanServerBuilder() {
    return System.getProperty("javax.management.builder.initial") != null || jbossModules();
  }

  private static boolean jbossModules() {
    String command = System.getProperty("sun.java.command", "");
    return command.startsWith("org.jboss.modules") || command.contains("jboss-modules.jar");
  }
}
