package dev.lastcall.it;

import dev.lastcall.TaskRegistry;
import dev.lastcall.emulator.Emulator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts {@link JournalApp} under the agent with a Redis journal ({@code journal=redis://...} and
 * more agent arguments), and the {@code sweep} command as a long-running process ({@code --watch}).
 * Every child's output is scanned for the API key and for the Redis password ({@link SecretScan}).
 */
final class RedisJournalJvms {
  private RedisJournalJvms() {}

  static ChildJvm startApp(
      Emulator emulator,
      String key,
      String password,
      String agentArgs,
      List<String> jvmOptions,
      Path ids,
      List<String> appArgs,
      Consumer<String> stdout)
      throws IOException {
    return startApp(
        emulator,
        Map.of("BLACKBOX_API_KEY", key),
        password,
        agentArgs,
        jvmOptions,
        ids,
        appArgs,
        stdout);
  }

  /** With the child's whole environment (its keys, each scanned for in its output). */
  static ChildJvm startApp(
      Emulator emulator,
      Map<String, String> env,
      String password,
      String agentArgs,
      List<String> jvmOptions,
      Path ids,
      List<String> appArgs,
      Consumer<String> stdout)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ChildJvm.currentJava());
    command.add("-Xshare:auto");
    command.addAll(jvmOptions);
    command.add(
        "-javaagent:"
            + AgentJvm.agentJarSnapshot()
            + "=baseUrl="
            + emulator.baseUrl()
            + ",timeout=10s,"
            + agentArgs);
    command.add("-cp");
    command.add(ChildJvm.classPath(JournalApp.class, TaskRegistry.class));
    command.add(JournalApp.class.getName());
    command.add("--ids");
    command.add(ids.toAbsolutePath().toString());
    command.addAll(appArgs);
    ChildJvm child = OutputOnFailure.watch(ChildJvm.start(command, env, stdout, null));
    for (String key : env.values()) {
      scan(child, key, password);
    }
    return child;
  }

  /** {@code java -jar lastcall-agent.jar sweep --watch ARGS}, left running. */
  static ChildJvm startWatch(Map<String, String> env, String password, String... args)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                ChildJvm.currentJava(),
                "-Xshare:auto",
                "-jar",
                AgentJvm.agentJarSnapshot().toString(),
                "sweep",
                "--watch"));
    command.addAll(List.of(args));
    ChildJvm child = OutputOnFailure.watch(ChildJvm.start(command, env, null, null));
    scan(child, env.get("BLACKBOX_API_KEY"), password);
    return child;
  }

  static void scan(ChildJvm child, String key, String password) {
    SecretScan.track(key, child, null);
    if (password != null) {
      SecretScan.track(password, child, null);
    }
  }
}
