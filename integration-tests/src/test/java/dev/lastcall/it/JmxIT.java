package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.TaskRegistry;
import dev.lastcall.emulator.Emulator;
import dev.lastcall.testsupport.ChildFirstClassLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's MXBean, {@code dev.lastcall:type=TaskRegistry}, read and invoked by a plain JMX
 * client (open types only: this test uses no Lastcall class to read it) over a loopback JMX port of
 * a real JVM, and {@code tasks PID}: what they say is compared with what the app registered and
 * with the emulator, while the app keeps running and after its SIGTERM. Every wait is for a line
 * the app prints, a JMX notification or the app's exit.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class JmxIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int FIRST = 10;
  private static final int MORE = 3;
  private static final ObjectName BEAN = name("dev.lastcall:type=TaskRegistry");

  @TempDir Path dir;

  /** A running JmxApp whose stdout lines complete futures as they arrive. */
  private static final class App implements AutoCloseable {
    final ChildJvm jvm;
    private final List<String> lines = new ArrayList<>();
    private final List<Map.Entry<Predicate<List<String>>, CompletableFuture<Void>>> waits =
        new ArrayList<>();

    App(List<String> command, String key, Path report) throws IOException {
      this.jvm =
          OutputOnFailure.watch(
              ChildJvm.start(command, Map.of("BLACKBOX_API_KEY", key), this::onLine, null));
      SecretScan.track(key, jvm, report);
    }

    private synchronized void onLine(String line) {
      lines.add(line);
      waits.removeIf(wait -> wait.getKey().test(lines) && wait.getValue().complete(null));
    }

    void await(String line) throws Exception {
      CompletableFuture<Void> done = new CompletableFuture<>();
      synchronized (this) {
        if (lines.contains(line)) {
          return;
        }
        waits.add(Map.entry(printed -> printed.contains(line), done));
      }
      try {
        done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("no " + line + " line within " + WAIT + jvm.describe(), e);
      }
    }

    synchronized List<String> tasks(String kind) {
      return lines.stream()
          .filter(line -> line.startsWith("TASK " + kind + " "))
          .map(line -> line.split(" ")[2])
          .toList();
    }

    @Override
    public void close() {
      jvm.close();
    }
  }

  @Test
  void aJmxClientReadsTheTasksAndCancelsThemWhileTheAppRuns() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    Path more = dir.resolve("more");
    int port = freeLoopbackPort();
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        App app = new App(command(emulator, report, more, port, FIRST), key, report)) {
      app.await("READY " + FIRST);
      List<String> first = app.tasks("first");
      assertEquals(FIRST, first.size());

      try (JMXConnector connector = connect(port)) {
        MBeanServerConnection jmx = connector.getMBeanServerConnection();
        awaitBean(jmx);

        assertEquals(FIRST, jmx.getAttribute(BEAN, "RegisteredCount"));
        assertEquals(5000L, jmx.getAttribute(BEAN, "Timeout"));
        Map<String, String> found = registered(jmx);
        assertEquals(Set.copyOf(first), found.keySet());
        assertEquals(Set.of("api"), Set.copyOf(found.values()));
        assertNull(jmx.getAttribute(BEAN, "LastCancel"), "nothing cancelled yet");
        assertNull(jmx.getAttribute(BEAN, "LastSweep"), "no journal, no sweep");
        assertNull(jmx.getAttribute(BEAN, "LastTimeLimit"), "no time limit");

        // cancelAll(5000): every task stopped, deregistered, the app keeps running.
        String cancelled =
            (String) jmx.invoke(BEAN, "cancelAll", new Object[] {5000L}, new String[] {"long"});
        SecretScan.trackText(key, "cancelAll's result", cancelled);
        AgentReport all = AgentReport.parse(cancelled);
        assertEquals(5000, all.deadlineMs(), all.raw());
        assertEquals(Set.copyOf(first), ids(all), all.raw());
        for (AgentReport.Entry task : all.tasks()) {
          assertEquals("STOPPED", task.outcome(), all.raw());
          assertEquals("api", task.found(), all.raw());
        }
        assertEquals(statuses(first, "stopped"), statuses(emulator, first));
        assertTrue(app.jvm.isAlive(), "the app keeps running" + app.jvm.describe());
        assertEquals(0, jmx.getAttribute(BEAN, "RegisteredCount"), "confirmed: deregistered");
        String lastCancel = (String) jmx.getAttribute(BEAN, "LastCancel");
        SecretScan.trackText(key, "LastCancel", lastCancel);
        assertEquals(ids(all), ids(AgentReport.parse(lastCancel)), lastCancel);

        // Later registrations are unaffected by that cancelAll.
        Path written = Files.writeString(dir.resolve("more.tmp"), Integer.toString(MORE));
        Files.move(written, more, StandardCopyOption.ATOMIC_MOVE);
        app.await("MORE " + MORE);
        List<String> later = app.tasks("more");
        assertEquals(MORE, later.size());
        assertEquals(MORE, jmx.getAttribute(BEAN, "RegisteredCount"));
        assertEquals(statuses(later, "processing"), statuses(emulator, later));

        // cancel(id): that one task, within the configured timeout.
        String one = later.get(0);
        String single =
            (String)
                jmx.invoke(
                    BEAN, "cancel", new Object[] {one}, new String[] {String.class.getName()});
        SecretScan.trackText(key, "cancel's result", single);
        AgentReport cancelOne = AgentReport.parse(single);
        assertEquals(5000, cancelOne.deadlineMs(), "the configured timeout: " + single);
        assertEquals(List.of(one), List.copyOf(ids(cancelOne)), single);
        assertEquals("STOPPED", cancelOne.tasks().get(0).outcome(), single);
        assertEquals("stopped", emulator.task(one).orElseThrow().status());
        assertEquals(MORE - 1, jmx.getAttribute(BEAN, "RegisteredCount"));
      }

      // tasks PID: one line per task still registered, as ID  FOUND  AGE.
      List<String> left = later(app);
      JournalJvms.Cli tasks = JournalJvms.cli(Map.of(), "tasks", Long.toString(app.jvm.pid()));
      SecretScan.trackText(key, "tasks' output", tasks.describe());
      assertEquals(0, tasks.exitCode(), tasks.describe());
      assertEquals(left.size(), tasks.stdout().size(), tasks.describe());
      Set<String> listed = new HashSet<>();
      for (String line : tasks.stdout()) {
        String[] columns = line.split("  ");
        assertEquals(3, columns.length, line);
        listed.add(columns[0]);
        assertEquals("api", columns[1], line);
        assertTrue(columns[2].matches("\\d+(ms|s|m\\d\\ds|h\\d\\dm|d\\d\\dh)"), line);
      }
      assertEquals(Set.copyOf(left), listed, tasks.describe());

      // SIGTERM: what is still registered is cancelled by the hook as always.
      app.jvm.signal("TERM");
      app.jvm.awaitExit(WAIT);
      assertEquals(statuses(left, "stopped"), statuses(emulator, left), app.jvm.describe());
      AgentReport atExit = AgentReport.read(report);
      assertEquals(Set.copyOf(left), ids(atExit), atExit.raw());
      assertEquals(
          (long) (FIRST + MORE),
          emulator.countsByStatus().getOrDefault("stopped", 0L),
          "all stopped");
    }
  }

  @Test
  void tasksSaysSoWhenTheJvmHasNoLastcallAgent() throws Exception {
    String key = AgentJvm.randomKey();
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        App app = new App(command(emulator, null, dir.resolve("more"), 0, 1), key, null)) {
      app.await("READY 1");
      JournalJvms.Cli tasks = JournalJvms.cli(Map.of(), "tasks", Long.toString(app.jvm.pid()));
      assertEquals(4, tasks.exitCode(), tasks.describe());
      assertEquals(List.of(), tasks.stdout(), tasks.describe());
      assertEquals(
          List.of(
              "lastcall: JVM "
                  + app.jvm.pid()
                  + " has no Lastcall agent (no dev.lastcall:type=TaskRegistry bean); start it"
                  + " with -javaagent:lastcall-agent.jar or load it with attach "
                  + app.jvm.pid()),
          tasks.stderr(),
          tasks.describe());
    }
  }

  /**
   * No JMX port and no task: the bean comes when {@code tasks} starts the JVM's local connector
   * (which creates the JMX server), and it lists nothing.
   */
  @Test
  void anAgentWithoutTasksShowsItsBeanOnceTheJvmHasAJmxServer() throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        App app = new App(command(emulator, report, dir.resolve("more"), 0, 0), key, report)) {
      app.await("READY 0");
      JournalJvms.Cli tasks = JournalJvms.cli(Map.of(), "tasks", Long.toString(app.jvm.pid()));
      assertEquals(0, tasks.exitCode(), tasks.describe());
      assertEquals(List.of(), tasks.stdout(), tasks.describe());
      assertEquals(
          List.of("lastcall: no tasks registered in JVM " + app.jvm.pid()),
          tasks.stderr(),
          tasks.describe());
    }
  }

  /**
   * JmxApp registering {@code tasks} tasks, with the agent when {@code report} is given, and a JMX
   * port on 127.0.0.1 without authentication or TLS when {@code port} > 0.
   */
  private static List<String> command(
      Emulator emulator, Path report, Path more, int port, int tasks) {
    List<String> command = new ArrayList<>();
    command.add(ChildJvm.currentJava());
    command.add("-Xshare:auto");
    if (port > 0) {
      command.add("-Dcom.sun.management.jmxremote.port=" + port);
      command.add("-Dcom.sun.management.jmxremote.rmi.port=" + port);
      command.add("-Dcom.sun.management.jmxremote.host=127.0.0.1");
      command.add("-Djava.rmi.server.hostname=127.0.0.1");
      command.add("-Dcom.sun.management.jmxremote.authenticate=false");
      command.add("-Dcom.sun.management.jmxremote.ssl=false");
    }
    if (report != null) {
      command.add(
          "-javaagent:"
              + AgentJvm.agentJarSnapshot()
              + "=baseUrl="
              + emulator.baseUrl()
              + ",timeout=5s,report="
              + report.toAbsolutePath());
    }
    command.add("-cp");
    command.add(ChildJvm.classPath(JmxApp.class, ChildFirstClassLoader.class, TaskRegistry.class));
    command.add(JmxApp.class.getName());
    command.addAll(
        List.of(
            "--base-url",
            emulator.baseUrl(),
            "--tasks",
            Integer.toString(tasks),
            "--more-file",
            more.toAbsolutePath().toString()));
    return command;
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static JMXConnector connect(int port) throws IOException {
    return JMXConnectorFactory.connect(
        new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"));
  }

  /** Waits for the bean's registration notification, unless it is registered already. */
  private static void awaitBean(MBeanServerConnection jmx) throws Exception {
    CompletableFuture<Void> registered = new CompletableFuture<>();
    NotificationListener listener =
        (notification, handback) -> {
          if (notification instanceof MBeanServerNotification event
              && MBeanServerNotification.REGISTRATION_NOTIFICATION.equals(event.getType())
              && BEAN.equals(event.getMBeanName())) {
            registered.complete(null);
          }
        };
    jmx.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener, null, null);
    try {
      if (!jmx.isRegistered(BEAN)) {
        registered.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      jmx.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener);
    }
  }

  /** RegisteredTasks as id to found, read as open data only. */
  private static Map<String, String> registered(MBeanServerConnection jmx) throws Exception {
    Map<String, String> found = new LinkedHashMap<>();
    for (CompositeData task : (CompositeData[]) jmx.getAttribute(BEAN, "RegisteredTasks")) {
      found.put((String) task.get("id"), (String) task.get("found"));
      assertTrue((Long) task.get("ageMillis") >= 0, task.toString());
      assertEquals("cloud", task.get("family"), task.toString());
    }
    return found;
  }

  private static List<String> later(App app) {
    List<String> later = app.tasks("more");
    return later.subList(1, later.size());
  }

  private static Set<String> ids(AgentReport report) {
    return report.tasks().stream().map(AgentReport.Entry::id).collect(Collectors.toSet());
  }

  private static Map<String, String> statuses(List<String> ids, String status) {
    Map<String, String> statuses = new LinkedHashMap<>();
    ids.forEach(id -> statuses.put(id, status));
    return statuses;
  }

  private static Map<String, String> statuses(Emulator emulator, List<String> ids) {
    Map<String, String> statuses = new LinkedHashMap<>();
    for (String id : ids) {
      statuses.put(id, emulator.task(id).map(task -> task.status()).orElse("missing"));
    }
    return statuses;
  }

  private static ObjectName name(String name) {
    try {
      return new ObjectName(name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
