package dev.lastcall.it;

import dev.lastcall.TaskRegistry;
import dev.lastcall.emulator.Emulator;
import dev.lastcall.emulator.Faults;
import dev.lastcall.testsupport.ChildFirstClassLoader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The demo: a local BLACKBOX emulator, an application holding 300 remote tasks under the Lastcall
 * agent, a SIGTERM, and an account of what happened to every task.
 *
 * <pre>
 * java -jar integration-tests/target/lastcall-demo.jar [--agent PATH] [--tasks N] [--timeout 10s]
 * </pre>
 *
 * <p>Run it from the repository root after {@code mvn install}, or name the agent jar with {@code
 * --agent}. Exits 0 only if the emulator saw every task end {@code stopped}.
 */
public final class Demo {
  private static final Set<String> RUNNING = Set.of("pending", "processing", "saving");
  private static final String USAGE =
      "usage: java -jar lastcall-demo.jar [--agent PATH] [--tasks N] [--timeout 10s]";
  private static final Path DEFAULT_AGENT = Path.of("agent", "target", "lastcall-agent.jar");

  private Demo() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out));
  }

  /** Runs the demo, printing to {@code out}; returns the process exit code. */
  public static int run(String[] args, PrintStream out) throws Exception {
    Path agentArg = null;
    int tasks = 300;
    String timeout = "10s";
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--agent" -> agentArg = Path.of(need(args[i], value));
          case "--tasks" -> tasks = Integer.parseInt(need(args[i], value));
          case "--timeout" -> timeout = need(args[i], value);
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
        i++;
      }
      if (tasks < 1) {
        throw new IllegalArgumentException("--tasks must be at least 1");
      }
    } catch (IllegalArgumentException e) {
      out.println("demo: " + e.getMessage() + "\n" + USAGE);
      return 2;
    }

    Optional<Path> agent = locateAgent(agentArg);
    if (agent.isEmpty()) {
      out.println(
          "demo: cannot find the agent jar. Looked for "
              + (agentArg != null
                  ? agentArg.toAbsolutePath()
                  : DEFAULT_AGENT.toAbsolutePath() + " and next to the demo jar")
              + ".");
      out.println(
          "      Build it from the repository root with `mvn -B install -DskipTests`, run the"
              + " demo from there, or pass --agent PATH.");
      return 2;
    }

    String key = "bb_" + HexFormat.of().formatHex(randomBytes(16)); // never printed
    try (Emulator emulator =
        Emulator.builder()
            .host("127.0.0.1")
            .port(0)
            .apiKey(key)
            .pendingFor(Duration.ofMillis(200))
            .processingFor(Duration.ofMinutes(10)) // nothing finishes by itself during the demo
            .savingFor(Duration.ofSeconds(30))
            .faults(Faults.none())
            .start()) {
      return runWith(emulator, key, agent.get(), tasks, timeout, out);
    }
  }

  private static int runWith(
      Emulator emulator, String key, Path agent, int tasks, String timeout, PrintStream out)
      throws Exception {
    out.println("Lastcall demo");
    out.println(
        "  emulator   " + emulator.baseUrl() + " (in-process BLACKBOX Tasks API, random bb_ key)");
    out.println("  agent      " + agent.toAbsolutePath().normalize());

    List<String> command = new ArrayList<>();
    command.add(ChildJvm.currentJava());
    command.add(
        "-javaagent:"
            + agent.toAbsolutePath().normalize()
            + "=baseUrl="
            + emulator.baseUrl()
            + ",timeout="
            + timeout);
    command.add("-cp");
    command.add(
        ChildJvm.codeSources(SampleApp.class, ChildFirstClassLoader.class, TaskRegistry.class)
            .stream()
            .map(Path::toString)
            .collect(Collectors.joining(java.io.File.pathSeparator)));
    command.add(SampleApp.class.getName());
    command.addAll(List.of("--base-url", emulator.baseUrl(), "--tasks", Integer.toString(tasks)));

    List<String> summary = new ArrayList<>();
    try (ChildJvm app =
        ChildJvm.start(
            command,
            Map.of("BLACKBOX_API_KEY", key),
            null,
            line -> {
              synchronized (summary) {
                if (line.startsWith("lastcall: ")) {
                  summary.add(line);
                }
              }
              out.println("  app stderr | " + line);
            })) {
      out.println(
          "  app        pid "
              + app.pid()
              + ", creating "
              + tasks
              + " tasks with POST /api/tasks ...");
      long started = System.nanoTime();
      int registered;
      try {
        registered = app.awaitReady(Duration.ofSeconds(120));
      } catch (IllegalStateException e) {
        out.println("demo: the app did not get ready: " + e.getMessage());
        return 1;
      }
      out.printf(
          "  ready      %d tasks created and registered in %d ms; emulator now: %s%n",
          registered,
          (app.readyAtNanos() - started) / 1_000_000,
          describe(emulator.countsByStatus()));

      out.println("  SIGTERM    sent to pid " + app.pid());
      app.signal("TERM");
      int exitCode;
      try {
        exitCode = app.awaitExit(Duration.ofSeconds(60));
      } catch (TimeoutException e) {
        out.println("demo: the app did not exit within 60 s of SIGTERM; killing it");
        return 1;
      }
      long exitMs = (System.nanoTime() - app.signalledAtNanos()) / 1_000_000;

      Map<String, Long> counts = emulator.countsByStatus();
      long stopped = counts.getOrDefault("stopped", 0L);
      long running =
          counts.entrySet().stream()
              .filter(e -> RUNNING.contains(e.getKey()))
              .mapToLong(Map.Entry::getValue)
              .sum();
      long total = counts.values().stream().mapToLong(Long::longValue).sum();

      out.println();
      out.println("What happened");
      out.println("  tasks registered       " + registered);
      out.println("  SIGTERM to exit        " + exitMs + " ms (exit code " + exitCode + ")");
      synchronized (summary) {
        out.println(
            "  agent summary          "
                + (summary.isEmpty() ? "(none printed)" : String.join(" / ", summary)));
      }
      out.println(
          "  emulator               "
              + stopped
              + " stopped, "
              + running
              + " still running"
              + (total != stopped + running ? " (" + describe(counts) + ")" : ""));

      boolean ok = registered == tasks && total == registered && stopped == total;
      out.println(
          ok
              ? "  RESULT                 every task was stopped before the JVM exited"
              : "  RESULT                 FAILED: "
                  + (total - stopped)
                  + " of "
                  + total
                  + " tasks did not end stopped");
      return ok ? 0 : 1;
    }
  }

  /** "300 pending, 12 processing" in a fixed order. */
  private static String describe(Map<String, Long> counts) {
    if (counts.isEmpty()) {
      return "no tasks";
    }
    return new TreeMap<>(counts)
        .entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", "));
  }

  private static Optional<Path> locateAgent(Path explicit) {
    if (explicit != null) {
      return Files.isRegularFile(explicit) ? Optional.of(explicit) : Optional.empty();
    }
    if (Files.isRegularFile(DEFAULT_AGENT)) {
      return Optional.of(DEFAULT_AGENT);
    }
    // Run from elsewhere: the demo jar sits at <repo>/integration-tests/target/lastcall-demo.jar.
    try {
      Path self = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path repo = self.getParent() == null ? null : self.getParent().getParent();
      if (repo != null && repo.getParent() != null) {
        Path candidate = repo.getParent().resolve(DEFAULT_AGENT);
        if (Files.isRegularFile(candidate)) {
          return Optional.of(candidate);
        }
      }
    } catch (URISyntaxException | RuntimeException ignored) {
      // fall through: not found
    }
    return Optional.empty();
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static String need(String flag, String value) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return value;
  }
}
