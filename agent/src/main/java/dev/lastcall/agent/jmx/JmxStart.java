package dev.lastcall.agent.jmx;

import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.attach.AttachProtocol;
import dev.lastcall.agent.registry.SharedRegistry;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Registers {@code dev.lastcall:type=TaskRegistry} late, on a {@code lastcall-jmx} daemon thread:
 * this class is what premain touches (JDK and agent types only; nothing of {@code java.management}
 * is loaded on premain's thread, {@code PremainDisciplineIT} checks it).
 *
 * <p><b>When.</b> Creating the platform MBean server is not neutral: it fixes the server's builder
 * ({@code javax.management.builder.initial}) and, through the platform logging MXBean, initialises
 * {@code java.util.logging.LogManager}, reading {@code java.util.logging.manager} once. JBoss and
 * WildFly set both up from their own {@code main} (their log manager class is visible only once
 * JBoss Modules runs): an agent that touches JMX in premain, or early on a thread of its own, makes
 * them fail to boot ("The logging subsystem requires the log manager to be
 * org.jboss.logmanager.LogManager"). The OpenTelemetry Java agent and Datadog's JMXFetch meet the
 * same problem by waiting until the application has set up logging / JMX itself, or a delay. So:
 *
 * <ol>
 *   <li>With {@code -javaagent}, the thread first waits until {@code main} runs (the bottom frame
 *       of premain's thread is the application's {@code main}, polled every 10 ms, at most {@value
 *       #MAIN_WAIT_SECONDS} s; at once if that thread has ended). An attached agent does not wait:
 *       the application is running.
 *   <li>If the JVM names its own log manager or MBean server builder ({@code
 *       java.util.logging.manager}, {@code javax.management.builder.initial}, or the JBoss Modules
 *       launcher), it waits further until someone else has loaded {@code
 *       java.lang.management.ManagementFactory} (asked of {@link
 *       Instrumentation#getInitiatedClasses} every 500 ms), at most {@value
 *       #CONTAINER_WAIT_SECONDS} s: the container then has its log manager and MBean server, and
 *       ours joins them. After that bound the bean is registered anyway (a container not set up in
 *       two minutes is not setting up JMX).
 *   <li>Otherwise it registers at once: a plain application's first {@code
 *       getPlatformMBeanServer()} call gets the same server either way.
 * </ol>
 *
 * A failure is one stderr line; the rest of the agent works without the bean.
 */
public final class JmxStart {
  static final int MAIN_WAIT_SECONDS = 10;
  static final int CONTAINER_WAIT_SECONDS = 120;
  private static final String MANAGEMENT_FACTORY = "java.lang.management.ManagementFactory";

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
      Thread thread =
          new Thread(
              new RegisterLater(
                  premain ? Thread.currentThread() : null,
                  instrumentation,
                  registry,
                  ages,
                  canceller,
                  timeout),
              "lastcall-jmx");
      thread.setDaemon(true);
      thread.start();
    } catch (Throwable t) {
      AgentLog.line("the JMX bean is off, the rest of the agent works: " + t);
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
        if (bringsItsOwnLoggingOrJmx()) {
          awaitManagementLoadedByOthers(instrumentation);
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

  /** True for a JVM that sets up its own log manager or MBean server (JBoss, WildFly...). */
  static boolean bringsItsOwnLoggingOrJmx() {
    return System.getProperty("java.util.logging.manager") != null
        || System.getProperty("javax.management.builder.initial") != null
        || System.getProperty("sun.java.command", "").startsWith("org.jboss.modules")
        || System.getProperty("sun.java.command", "").contains("jboss-modules.jar");
  }

  private static void awaitManagementLoadedByOthers(Instrumentation instrumentation)
      throws InterruptedException {
    if (instrumentation == null) {
      return;
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONTAINER_WAIT_SECONDS);
    while (System.nanoTime() - end < 0) {
      for (Class<?> loaded : instrumentation.getInitiatedClasses(null)) {
        if (loaded.getName().equals(MANAGEMENT_FACTORY)) {
          return;
        }
      }
      Thread.sleep(500); // a poll: class loading tells no one either
    }
  }
}
