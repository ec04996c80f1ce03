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
 * The demo: a local BLACKBOX emulator serving HTTPS with HTTP/2 (as production does), an
 * application holding 300 remote tasks under the Lastcall agent, a SIGTERM, and an account of what
 * happened to every task and of the protocol the agent used for it.
 *
 * <pre>
 * java -jar integration-tests/target/lastcall-demo.jar [--agent PATH] [--tasks N] [--timeout 10s]
 *     [--plain]
 * </pre>
 *
 * <p>The emulator makes a CA at start; the app's JVM trusts it the way a production JVM trusts a
 * corporate CA, through {@code javax.net.ssl.trustStore} ({@link EmulatorTrust}, a file in a temp
 * directory removed at the end). {@code --plain} serves plain HTTP/1.1 instead, for comparison. Run
 * it from the repository root after {@code mvn package}, or name the agent jar with {@code
 * --agent}. Exits 0 only if the emulator saw every task end {@code stopped}.
 */
public final class Demo {
  private static final Set<String> RUNNING = Set.of("pending", "processing", "saving");
  private static final String USAGE =
      "usage: java -jar lastcall-demo.jar [--agent PATH] [--tasks N] [--timeout 10s] [--plain]";
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
    boolean plain = false;
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--plain" -> {
            plain = true;
            i--; // a flag without a value
          }
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
    Emulator.Builder server = plain ? Emulator.builder() : Emulator.builder().tls().http2(true);
    Path trustDir = Files.createTempDirectory("lastcall-demo-");
    try (Emulator emulator =
        server
            .host("127.0.0.1")
            .port(0)
            .apiKey(key)
            .pendingFor(Duration.ofMillis(200))
            .processingFor(Duration.ofMinutes(10)) // nothing finishes by itself during the demo
            .savingFor(Duration.ofSeconds(30))
            .faults(Faults.none())
            .start()) {
      List<String> trust = EmulatorTrust.jvmOptions(emulator, trustDir);
      return runWith(emulator, trust, key, agent.get(), tasks, timeout, out);
    } finally {
      deleteQuietly(trustDir);
    }
  }

  private static int runWith(
      Emulator emulator,
      List<String> jvmOptions,
      String key,
      Path agent,
      int tasks,
      String timeout,
      PrintStream out)
      throws Exception {
    out.println("Lastcall demo");
    out.println(
        "  emulator   "
            + emulator.baseUrl()
            + (emulator.isTls() ? " (HTTPS, ALPN offers h2 and http/1.1;" : " (plain HTTP/1.1;")
            + " in-process BLACKBOX Tasks API, random bb_ key)");
    out.println("  agent      " + agent.toAbsolutePath().normalize());

    List<String> command = new ArrayList<>();
    command.add(ChildJvm.currentJava());
    // The JVM's own trust: the emulator's CA, as a corporate CA would be.
    command.addAll(jvmOptions);
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
      // From READY on only the agent talks to the emulator: what it used is the difference.
      AgentTraffic atReady = AgentTraffic.of(emulator);
      app.signal("TERM");
      int exitCode;
      try {
        exitCode = app.awaitExit(Duration.ofSeconds(60));
      } catch (TimeoutException e) {
        out.println("demo: the app did not exit within 60 s of SIGTERM; killing it");
        return 1;
      }
      long exitMs = (System.nanoTime() - app.signalledAtNanos()) / 1_000_000;
      AgentTraffic used = AgentTraffic.of(emulator).since(atReady);

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
      out.println("  agent protocol         " + used.describe(emulator.isTls()));
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

  /** The emulator's counts of what reached it, to tell which protocol the agent spoke. */
  private record AgentTraffic(
      long requests, long h2Streams, long http11Connections, long h2Connections) {
    static AgentTraffic of(Emulator emulator) {
      Map<String, Long> connections = emulator.connectionCounts();
      return new AgentTraffic(
          emulator.requestCount(),
          emulator.streamCounts().getOrDefault("h2", 0L),
          connections.getOrDefault("http/1.1", 0L),
          connections.getOrDefault("h2", 0L));
    }

    AgentTraffic since(AgentTraffic before) {
      return new AgentTraffic(
          requests - before.requests,
          h2Streams - before.h2Streams,
          http11Connections - before.http11Connections,
          h2Connections - before.h2Connections);
    }

    /**
     * "HTTP/2 over TLS (h2): 600 requests since the signal, 1 new connection". Every request came
     * over h2 when there were as many h2 streams; a connection opened before the signal (a warm
     * one) is not new.
     */
    String describe(boolean tls) {
      long overHttp11 = Math.max(0, requests - h2Streams);
      String protocol;
      if (h2Streams > 0 && overHttp11 == 0) {
        protocol = "HTTP/2 over TLS (h2)";
      } else if (h2Streams == 0) {
        protocol = tls ? "HTTP/1.1 over TLS" : "HTTP/1.1 (plain)";
      } else {
        protocol = "h2 and HTTP/1.1 over TLS";
      }
      long connections = http11Connections + h2Connections;
      return protocol
          + ": "
          + requests
          + " requests since the signal, "
          + connections
          + (connections == 1 ? " new connection" : " new connections");
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (java.io.IOException | RuntimeException e) {
      // A temp directory left behind holds only a public CA certificate.
    }
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
