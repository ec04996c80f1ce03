package dev.lastcall.it;

import dev.lastcall.TaskRegistry;
import dev.lastcall.emulator.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts {@link JournalApp} under the agent with journal=DIR, and runs {@code java -jar
 * lastcall-agent.jar}.
 */
final class JournalJvms {
  private JournalJvms() {}

  /**
   * Tasks stoppable at once (the tests are about the journal, not the state machine) that never
   * finish by themselves during a test.
   */
  static Emulator emulator(String key) throws IOException {
    return emulator(Transport.PLAIN, key);
  }

  /** As {@link #emulator(String)}, over {@code transport}. */
  static Emulator emulator(Transport transport, String key) throws IOException {
    return Scenario.emulator(transport, key, Duration.ZERO, Duration.ofMinutes(10));
  }

  /** Creates {@code n} tasks in the emulator and writes their ids to a file, one a line. */
  static Path createTasks(Emulator emulator, String key, int n, Path file) throws IOException {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(emulator.createTask(key, "journal test task " + i));
    }
    Files.write(file, ids);
    return file;
  }

  static ChildJvm startApp(
      Emulator emulator,
      String key,
      Path journal,
      Path ids,
      Integer compactAfter,
      List<String> appArgs,
      Consumer<String> stdout)
      throws IOException {
    return startApp(emulator, key, journal, ids, compactAfter, "5s", List.of(), appArgs, stdout);
  }

  /**
   * With the agent's {@code timeout} and JVM options (such as {@link EmulatorTrust}'s) placed
   * before {@code -javaagent}.
   */
  static ChildJvm startApp(
      Emulator emulator,
      String key,
      Path journal,
      Path ids,
      Integer compactAfter,
      String timeout,
      List<String> jvmOptions,
      List<String> appArgs,
      Consumer<String> stdout)
      throws IOException {
    return startApp(
        emulator,
        Map.of("BLACKBOX_API_KEY", key),
        "",
        journal,
        ids,
        compactAfter,
        timeout,
        jvmOptions,
        appArgs,
        stdout);
  }

  /**
   * With the child's whole environment (its keys) and {@code moreAgentArgs} ({@code ,key=value...}
   * or empty) after the journal.
   */
  static ChildJvm startApp(
      Emulator emulator,
      Map<String, String> env,
      String moreAgentArgs,
      Path journal,
      Path ids,
      Integer compactAfter,
      String timeout,
      List<String> jvmOptions,
      List<String> appArgs,
      Consumer<String> stdout)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ChildJvm.currentJava());
    command.add("-Xshare:auto");
    command.addAll(jvmOptions);
    if (compactAfter != null) {
      command.add("-Ddev.lastcall.journal.compactAfter=" + compactAfter);
    }
    command.add(
        "-javaagent:"
            + AgentJvm.agentJarSnapshot()
            + "=baseUrl="
            + emulator.baseUrl()
            + ",timeout="
            + timeout
            + ",journal="
            + journal.toAbsolutePath()
            + moreAgentArgs);
    command.add("-cp");
    command.add(ChildJvm.classPath(JournalApp.class, TaskRegistry.class));
    command.add(JournalApp.class.getName());
    command.add("--ids");
    command.add(ids.toAbsolutePath().toString());
    command.addAll(appArgs);
    return OutputOnFailure.watch(ChildJvm.start(command, env, stdout, null));
  }

  /** {@code java -jar lastcall-agent.jar ARGS} with the given environment; waits for it to exit. */
  static Cli cli(Map<String, String> env, String... args) throws Exception {
    return cli(List.of(), env, args);
  }

  /**
   * {@code java JVM-OPTIONS -jar lastcall-agent.jar ARGS} (options such as {@link EmulatorTrust}'s)
   * with the given environment; waits for it to exit.
   */
  static Cli cli(List<String> jvmOptions, Map<String, String> env, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(ChildJvm.currentJava(), "-Xshare:auto"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", AgentJvm.agentJarSnapshot().toString()));
    command.addAll(List.of(args));
    long start = System.nanoTime();
    try (ChildJvm child = OutputOnFailure.watch(ChildJvm.start(command, env, null, null))) {
      int code = child.awaitExit(Duration.ofSeconds(30));
      return new Cli(code, child.stdout(), child.stderr(), (System.nanoTime() - start) / 1_000_000);
    }
  }

  /** What one command line run printed and returned. */
  record Cli(int exitCode, List<String> stdout, List<String> stderr, long ms) {
    String describe() {
      return "exit "
          + exitCode
          + "\n--- stdout ---\n"
          + String.join("\n", stdout)
          + "\n--- stderr ---\n"
          + String.join("\n", stderr);
    }
  }

  /** The journal files (not lock or temp files) in {@code dir}. */
  static List<Path> journals(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.filter(p -> p.getFileName().toString().endsWith(".journal")).sorted().toList();
    }
  }
}
