package dev.lastcall.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import dev.lastcall.agent.attach.AttachProtocol;
import dev.lastcall.agent.jmx.TaskRegistryMXBean;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code tasks PID}: lists the tasks a running JVM's Lastcall agent has registered, one line each
 * ({@code ID FOUND AGE}, oldest first), for an operator without jconsole. It attaches with the
 * attach API only to start the JVM's own local JMX connector ({@code startLocalManagementAgent},
 * the JDK's management agent, as jconsole and {@code jcmd ManagementAgent.start_local} do; no agent
 * of ours is loaded) and reads {@code dev.lastcall:type=TaskRegistry} through it.
 *
 * <p>It refuses as {@code attach} does, with the same exit code ({@link ExitCode#NOT_ATTACHED}): a
 * pid that names no process, another user's, not a JVM, one that refuses attach, and a JVM without
 * a Lastcall agent. The agent registers its bean once the JVM has a JMX server, which starting the
 * local connector may create: an agent's bean is waited for (a registration notification, at most
 * {@value #BEAN_WAIT_SECONDS} s). An agent without its bean even then (turned off, say) has nothing
 * to list: one line saying so, exit code {@link ExitCode#OK}.
 */
final class TasksCommand {
  /** How long to wait for the bean of an agent that is there (it follows the JMX server). */
  static final int BEAN_WAIT_SECONDS = 5;

  private TasksCommand() {}

  static int run(CliArguments arguments, PrintStream out, PrintStream err) throws UsageException {
    long pid = AttachCommand.pid("tasks", "tasks PID", arguments.operands());
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      err.println(AttachLine.noProcess(pid));
      return ExitCode.NOT_ATTACHED;
    }
    if (!AttachCommand.looksLikeAJvm(pid)) {
      err.println(AttachLine.notAJvm(pid, process.get().info().command().orElse(null)));
      return ExitCode.NOT_ATTACHED;
    }
    Optional<String> otherUser =
        AttachLine.otherUser(
            pid, process.get().info().user().orElse(null), System.getProperty("user.name"));
    if (otherUser.isPresent()) {
      err.println(otherUser.get().replace(" attach " + pid, " tasks " + pid));
      return ExitCode.NOT_ATTACHED;
    }
    try {
      return list(pid, out, err);
    } catch (NoClassDefFoundError noAttachApi) {
      err.println(
          "lastcall: tasks needs the JDK's jdk.attach and java.management modules, which this Java"
              + " runtime lacks; run the command with a full JDK's java");
      return ExitCode.NOT_ATTACHED;
    }
  }

  private static int list(long pid, PrintStream out, PrintStream err) {
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(Long.toString(pid));
    } catch (Exception e) { // AttachNotSupportedException, IOException, SecurityException
      err.println(AttachLine.cannotAttach(pid, e));
      return ExitCode.NOT_ATTACHED;
    }
    try {
      Properties system = vm.getSystemProperties();
      String address = vm.startLocalManagementAgent();
      try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
        MBeanServerConnection connection = connector.getMBeanServerConnection();
        ObjectName name = new ObjectName(TaskRegistryMXBean.OBJECT_NAME);
        String agent = system.getProperty(AttachProtocol.LOADED);
        if (!connection.isRegistered(name)
            && (agent == null || !awaitBean(connection, name, BEAN_WAIT_SECONDS))) {
          err.println(noBean(pid, agent));
          return agent != null ? ExitCode.OK : ExitCode.NOT_ATTACHED;
        }
        CompositeData[] tasks = (CompositeData[]) connection.getAttribute(name, "RegisteredTasks");
        List<String> lines = lines(tasks);
        lines.forEach(out::println);
        if (lines.isEmpty()) {
          err.println("lastcall: no tasks registered in JVM " + pid);
        }
        return ExitCode.OK;
      }
    } catch (IOException | JMException | RuntimeException e) {
      err.println(
          "lastcall: attached to JVM "
              + pid
              + " but could not read its tasks through JMX: "
              + AttachLine.describe(e));
      return ExitCode.NOT_ATTACHED;
    } finally {
      try {
        vm.detach();
      } catch (IOException ignored) {
        // The connection is gone either way.
      }
    }
  }

  /**
   * Waits, at most {@code seconds}, for the bean: the agent registers it just after the JMX server
   * is created, which the local management agent started by this command may have done just now.
   */
  private static boolean awaitBean(MBeanServerConnection connection, ObjectName name, int seconds)
      throws IOException, JMException {
    CountDownLatch registered = new CountDownLatch(1);
    NotificationListener listener =
        (notification, handback) -> {
          if (notification instanceof MBeanServerNotification event
              && MBeanServerNotification.REGISTRATION_NOTIFICATION.equals(event.getType())
              && name.equals(event.getMBeanName())) {
            registered.countDown();
          }
        };
    connection.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener, null, null);
    try {
      return connection.isRegistered(name) || registered.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      connection.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener);
    }
  }

  static String noBean(long pid, String agentLoaded) {
    if (agentLoaded != null) {
      return "lastcall: nothing to list in JVM "
          + pid
          + ": its Lastcall agent has not registered its JMX bean "
          + TaskRegistryMXBean.OBJECT_NAME
          + " (the agent is off, or it has no task yet and saw the JMX server come before it;"
          + " its stderr says so if it could not register it)";
    }
    return "lastcall: JVM "
        + pid
        + " has no Lastcall agent (no "
        + TaskRegistryMXBean.OBJECT_NAME
        + " bean); start it with -javaagent:lastcall-agent.jar or load it with attach "
        + pid;
  }

  /** {@code ID FOUND AGE} (two spaces apart) per task, oldest first. */
  static List<String> lines(CompositeData[] tasks) {
    List<CompositeData> sorted = new ArrayList<>(List.of(tasks));
    sorted.sort(
        Comparator.comparingLong((CompositeData task) -> (Long) task.get("ageMillis"))
            .reversed()
            .thenComparing(task -> (String) task.get("id")));
    List<String> lines = new ArrayList<>(sorted.size());
    for (CompositeData task : sorted) {
      lines.add(
          TaskLine.render(
              (String) task.get("id"),
              (String) task.get("found"),
              age((Long) task.get("ageMillis"))));
    }
    return lines;
  }

  /** One word: {@code 850ms}, {@code 42s}, {@code 3m07s}, {@code 5h02m}, {@code 2d03h}. */
  static String age(long millis) {
    long seconds = millis / 1000;
    if (seconds < 1) {
      return millis + "ms";
    }
    if (seconds < 60) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      return minutes + "m" + two(seconds % 60) + "s";
    }
    long hours = minutes / 60;
    if (hours < 24) {
      return hours + "h" + two(minutes % 60) + "m";
    }
    return hours / 24 + "d" + two(hours % 24) + "h";
  }

  private static String two(long n) {
    return n < 10 ? "0" + n : Long.toString(n);
  }
}
