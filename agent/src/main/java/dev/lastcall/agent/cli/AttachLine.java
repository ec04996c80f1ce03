package dev.lastcall.agent.cli;

import dev.lastcall.agent.attach.AttachProtocol;
import java.util.Map;
import java.util.Optional;

/**
 * Every line {@code attach} prints: the one line saying it attached and what the agent found, and
 * the one clear message for each reason it could not.
 */
final class AttachLine {
  /** The JVM option that forbids dynamic agent loading (JDK 21+, JEP 451). */
  static final String DYNAMIC_LOADING_OFF = "-XX:-EnableDynamicAgentLoading";

  static final String DYNAMIC_LOADING_ON = "-XX:+EnableDynamicAgentLoading";

  private AttachLine() {}

  static String attached(long pid, Map<String, String> facts, int javaVersion, String jvmArgs) {
    StringBuilder line = new StringBuilder("lastcall: attached to JVM ").append(pid);
    if (javaVersion > 0) {
      line.append(" (Java ").append(javaVersion).append(')');
    }
    if ("false".equals(facts.get(AttachProtocol.ENABLED))) {
      return line.append(
              ", but its configuration turned the agent off (see the JVM's stderr); nothing will"
                  + " be cancelled")
          .toString();
    }
    int tasks = number(facts, AttachProtocol.TASKS);
    int joined = number(facts, AttachProtocol.JOINED);
    int registries = number(facts, AttachProtocol.REGISTRIES);
    line.append(": ").append(tasks).append(tasks == 1 ? " task" : " tasks").append(" registered");
    if (registries > 0) {
      line.append(" (")
          .append(joined)
          .append(" joined from ")
          .append(registries)
          .append(
              registries == 1
                  ? " other class loader's registry"
                  : " other class loaders' registries")
          .append(')');
    }
    String track = facts.get(AttachProtocol.TRACK);
    line.append(
        "auto".equals(track)
            ? "; tracking on: tasks the app creates from now on are found too"
            : "starting".equals(track)
                ? "; tracking still being installed: tasks the app creates from then on are found"
                    + " too"
                : "; tracking off");
    line.append("; every registered task is cancelled when it stops");
    if (javaVersion >= 21 && !jvmArgs.contains(DYNAMIC_LOADING_ON)) {
      line.append(
          ". Its stderr shows the JVM's own \"WARNING: A Java agent has been loaded dynamically\""
              + " (JEP 451, Java 21+): expected and harmless; start the JVM with "
              + DYNAMIC_LOADING_ON
              + " (or with -javaagent) to silence it");
    }
    return line.toString();
  }

  /** The problem line when the agent found no API key in the target, if it did not. */
  static Optional<String> keyProblem(long pid, Map<String, String> facts) {
    if (!"missing".equals(facts.get(AttachProtocol.KEY))
        || "false".equals(facts.get(AttachProtocol.ENABLED))) {
      return Optional.empty();
    }
    return Optional.of(
        "lastcall: the agent in JVM "
            + pid
            + " has no API key, so it cannot cancel the tasks: run attach with BLACKBOX_API_KEY"
            + " set (it is handed over privately) or with --apiKeyFile FILE, or give that JVM"
            + " BLACKBOX_API_KEY (for v1 Agent API runs: BLACKBOX_AGENT_API_KEY or"
            + " --agentApiKeyFile); attach again only after restarting it (the agent is loaded"
            + " now)");
  }

  static String noProcess(long pid) {
    return "lastcall: no process with id " + pid + "; give the pid of a running JVM (see jps)";
  }

  /** Empty when {@code me} may attach to a process of {@code owner} (the same user, or root). */
  static Optional<String> otherUser(long pid, String owner, String me) {
    if (owner == null || owner.equals(me) || "root".equals(me)) {
      return Optional.empty();
    }
    return Optional.of(
        "lastcall: process "
            + pid
            + " belongs to user "
            + owner
            + ", not to "
            + me
            + "; a JVM accepts attach only from its own user: run this command as "
            + owner
            + " (for example sudo -u "
            + owner
            + " java -jar lastcall-agent.jar attach "
            + pid
            + ")");
  }

  static String notAJvm(long pid, String command) {
    return "lastcall: process "
        + pid
        + (command == null ? "" : " (" + command + ")")
        + " is not a Java virtual machine (no libjvm in it); give the pid of a running JVM (see"
        + " jps)";
  }

  static String cannotAttach(long pid, Exception e) {
    return "lastcall: cannot attach to process "
        + pid
        + ": "
        + describe(e)
        + "; it must be a HotSpot JVM (Java 17 or newer) of this user, started without"
        + " -XX:+DisableAttachMechanism";
  }

  static String alreadyLoaded(long pid, String how) {
    return "lastcall: the Lastcall agent is already in JVM "
        + pid
        + " ("
        + ("attach".equals(how) ? "attached earlier" : "started with -javaagent")
        + "); nothing was changed";
  }

  static String dynamicLoadingDisabled(long pid) {
    return "lastcall: JVM "
        + pid
        + " was started with "
        + DYNAMIC_LOADING_OFF
        + ", which forbids loading an agent into it while it runs; restart it with"
        + " -javaagent:lastcall-agent.jar (or without that option)";
  }

  static String loadFailed(long pid, Exception e) {
    return "lastcall: attached to JVM " + pid + " but could not load the agent: " + describe(e);
  }

  static String noAttachModule() {
    return "lastcall: attach needs the JDK's jdk.attach module, which this Java runtime lacks;"
        + " run the command with a full JDK's java";
  }

  static String notFromJar() {
    return "lastcall: attach must be run from the agent's jar, as java -jar lastcall-agent.jar"
        + " attach PID";
  }

  static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName()
        + (message == null || message.isBlank() ? "" : " (" + message.trim() + ")");
  }

  private static int number(Map<String, String> facts, String name) {
    try {
      return Integer.parseInt(facts.getOrDefault(name, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
