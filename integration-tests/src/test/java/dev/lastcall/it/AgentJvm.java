package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.TaskRegistry;
import dev.lastcall.emulator.Emulator;
import dev.lastcall.testsupport.ChildFirstClassLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Starts {@link SampleApp} in a real JVM, the current {@code java} with {@code
 * -javaagent:<repo>/agent/target/lastcall-agent.jar=...}, the API key in its environment, and its
 * output captured on threads (see {@link ChildJvm}).
 */
final class AgentJvm {
  private static final SecureRandom RANDOM = new SecureRandom();

  private String baseUrl;
  private String apiKey;
  private boolean withAgent = true;
  private String timeout = "5s";
  private Path report;
  private int tasks = 20;
  private String then = "wait";
  private String registerVia = "system";
  private List<Path> classpath = defaultClasspath();
  private String agentBaseUrl;
  private final List<String> extraAgentArgs = new ArrayList<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private final List<String> appArgs = new ArrayList<>();
  private Path agentJar;
  private final Map<String, String> env = new java.util.LinkedHashMap<>();
  private String javaLauncher;
  private String mainClass = SampleApp.class.getName();
  private Path jar;
  private final List<String> launcherPrefix = new ArrayList<>();
  private boolean withTasksArg = true;
  private Emulator emulator;
  private String agentApiKey;

  private AgentJvm() {}

  static AgentJvm sampleApp() {
    return new AgentJvm();
  }

  AgentJvm baseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
    return this;
  }

  AgentJvm apiKey(String apiKey) {
    this.apiKey = apiKey;
    return this;
  }

  /**
   * The emulator this app and its agent talk to: the child trusts its CA through the JVM's own
   * trust store when it serves HTTPS ({@link EmulatorTrust}, the store written to {@code dir}), and
   * {@link Scenario#run} reads its traffic at READY. Base URLs are still set on their own.
   */
  AgentJvm talksTo(Emulator emulator, Path dir) throws IOException {
    this.emulator = emulator;
    this.jvmOptions.addAll(EmulatorTrust.jvmOptions(emulator, dir));
    return this;
  }

  /** The emulator given to {@link #talksTo}, or null. */
  Emulator emulator() {
    return emulator;
  }

  /** The agent's baseUrl when it differs from the app's (where the app creates its tasks). */
  AgentJvm agentBaseUrl(String agentBaseUrl) {
    this.agentBaseUrl = agentBaseUrl;
    return this;
  }

  /**
   * The jar given to {@code -javaagent} instead of Lastcall's (a probe that starts Lastcall's
   * itself, with the same arguments).
   */
  AgentJvm javaagentJar(Path jar) {
    this.agentJar = jar;
    return this;
  }

  /** More {@code key=value} agent arguments, appended after baseUrl, timeout and report. */
  AgentJvm agentArg(String keyValue) {
    this.extraAgentArgs.add(keyValue);
    return this;
  }

  /** A JVM option such as {@code -Dlastcall.timeout=5s}, placed before -javaagent. */
  AgentJvm jvmOption(String option) {
    this.jvmOptions.add(option);
    return this;
  }

  /** More arguments for the app, after the usual ones. */
  AgentJvm appArgs(String... args) {
    this.appArgs.addAll(List.of(args));
    return this;
  }

  /**
   * The v1 Agent API key, given as {@code BLACKBOX_AGENT_API_KEY}; scanned for in the output and
   * report after the test like the cloud key.
   */
  AgentJvm agentApiKey(String agentApiKey) {
    this.agentApiKey = agentApiKey;
    return env("BLACKBOX_AGENT_API_KEY", agentApiKey);
  }

  /** An environment variable for the child (besides BLACKBOX_API_KEY). */
  AgentJvm env(String name, String value) {
    this.env.put(name, value);
    return this;
  }

  /** The java launcher to use; default the one running the tests. */
  AgentJvm java(String java) {
    this.javaLauncher = java;
    return this;
  }

  /**
   * Runs the JVM through {@code prefix} (e.g. {@code setpriv --reuid=nobody ...}), which execs it.
   */
  AgentJvm launchedBy(String... prefix) {
    this.launcherPrefix.addAll(List.of(prefix));
    return this;
  }

  /** Runs {@code java -jar jar} (a fat jar with its own launcher) instead of a class path. */
  AgentJvm jar(Path jar) {
    this.jar = jar;
    return this;
  }

  AgentJvm mainClass(String mainClass) {
    this.mainClass = mainClass;
    return this;
  }

  /** Registers the ids in {@code file} instead of creating tasks; the app then needs no server. */
  AgentJvm idsFile(Path file) {
    this.withTasksArg = false;
    return appArgs("--ids-file", file.toAbsolutePath().toString());
  }

  /** Run without -javaagent: the control case. */
  AgentJvm withoutAgent() {
    this.withAgent = false;
    return this;
  }

  AgentJvm timeout(String timeout) {
    this.timeout = timeout;
    return this;
  }

  AgentJvm report(Path report) {
    this.report = report;
    return this;
  }

  AgentJvm tasks(int tasks) {
    this.tasks = tasks;
    return this;
  }

  AgentJvm then(String then) {
    this.then = then;
    return this;
  }

  AgentJvm registerVia(String registerVia) {
    this.registerVia = registerVia;
    return this;
  }

  AgentJvm classpath(List<Path> classpath) {
    this.classpath = List.copyOf(classpath);
    return this;
  }

  List<String> command() {
    List<String> command = new ArrayList<>(launcherPrefix);
    command.add(javaLauncher != null ? javaLauncher : ChildJvm.currentJava());
    command.add("-Xshare:auto");
    command.addAll(jvmOptions);
    if (withAgent) {
      StringBuilder args = new StringBuilder();
      String agentUrl = agentBaseUrl != null ? agentBaseUrl : baseUrl;
      if (agentUrl != null) {
        args.append("baseUrl=").append(agentUrl);
      }
      if (timeout != null) {
        args.append(args.length() > 0 ? "," : "").append("timeout=").append(timeout);
      }
      if (report != null) {
        String path = report.toAbsolutePath().toString();
        assertTrue(!path.contains(","), "report path must not contain a comma: " + path);
        args.append(args.length() > 0 ? "," : "").append("report=").append(path);
      }
      for (String extra : extraAgentArgs) {
        args.append(args.length() > 0 ? "," : "").append(extra);
      }
      Path jar = agentJar != null ? agentJar : agentJarSnapshot();
      command.add("-javaagent:" + jar + (args.length() > 0 ? "=" + args : ""));
    }
    if (jar != null) {
      command.add("-jar");
      command.add(jar.toString());
    } else {
      command.add("-cp");
      command.add(ChildJvm.classPath(classpath));
      command.add(mainClass);
    }
    if (baseUrl != null) {
      command.addAll(List.of("--base-url", baseUrl));
    }
    if (withTasksArg) {
      command.addAll(List.of("--tasks", Integer.toString(tasks)));
    }
    command.addAll(List.of("--then", then, "--register-via", registerVia));
    command.addAll(appArgs);
    return command;
  }

  /**
   * Starts the child; its output and report are scanned for the key after the test (SecretScan).
   */
  ChildJvm start() throws IOException {
    Map<String, String> childEnv = new java.util.LinkedHashMap<>(env);
    if (apiKey != null) { // null: the child gets no BLACKBOX_API_KEY at all
      childEnv.put("BLACKBOX_API_KEY", apiKey);
    }
    ChildJvm child = OutputOnFailure.watch(ChildJvm.start(command(), childEnv, null, null));
    if (apiKey != null) {
      SecretScan.track(apiKey, child, report);
    }
    if (agentApiKey != null) {
      SecretScan.track(agentApiKey, child, report);
    }
    return child;
  }

  /** The SampleApp classes plus the api, as a plain application would have them. */
  static List<Path> defaultClasspath() {
    return ChildJvm.codeSources(SampleApp.class, ChildFirstClassLoader.class, TaskRegistry.class);
  }

  /**
   * Only the SampleApp classes (and the class loader it may register through): the api reaches the
   * system class loader through the agent jar alone.
   */
  static List<Path> appOnlyClasspath() {
    return ChildJvm.codeSources(SampleApp.class, ChildFirstClassLoader.class);
  }

  static Path agentJar() {
    Path jar =
        Path.of(System.getProperty("lastcall.agentJar", "../agent/target/lastcall-agent.jar"))
            .toAbsolutePath()
            .normalize();
    assertTrue(
        Files.isRegularFile(jar),
        "agent jar not found at "
            + jar
            + "; build it first (mvn -B -o install -DskipTests, or run the reactor up to package)");
    return jar;
  }

  private static Path snapshot;

  static Path journalRedisJar() {
    return Path.of(
            System.getProperty(
                "lastcall.journalRedisJar", "../journal-redis/target/lastcall-journal-redis.jar"))
        .toAbsolutePath()
        .normalize();
  }

  /**
   * {@code java -javaagent:<the agent>=baseUrl=<emulator>,<agentArgs>}: the start of a child's
   * command line, for tests that build the rest themselves.
   */
  static List<String> javaWithAgent(Emulator emulator, String agentArgs) {
    return new ArrayList<>(
        List.of(
            ChildJvm.currentJava(),
            "-javaagent:"
                + agentJarSnapshot()
                + "=baseUrl="
                + emulator.baseUrl()
                + ","
                + agentArgs));
  }

  /**
   * A copy of the agent jar taken once per test JVM, so that a rebuild of agent/target while the
   * tests run (another build in the same tree) cannot pull classes from under a running child.
   */
  static synchronized Path agentJarSnapshot() {
    if (snapshot == null) {
      try {
        long pid = ProcessHandle.current().pid();
        Path dir =
            Files.createDirectories(
                Path.of("target", "agent-under-test", Long.toString(pid)).toAbsolutePath());
        Path copy = dir.resolve("lastcall-agent-" + pid + ".jar");
        Files.copy(agentJar(), copy, StandardCopyOption.REPLACE_EXISTING);
        copy.toFile().deleteOnExit();
        // The Redis journal's jar goes beside the agent jar, where the agent looks for it.
        Path redisJar = journalRedisJar();
        if (Files.isRegularFile(redisJar)) {
          Path redisCopy = dir.resolve("lastcall-journal-redis.jar");
          Files.copy(redisJar, redisCopy, StandardCopyOption.REPLACE_EXISTING);
          redisCopy.toFile().deleteOnExit();
        }
        snapshot = copy;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy the agent jar", e);
      }
    }
    return snapshot;
  }

  /**
   * The Spring Boot fat jar of the spring-app module ({@code lastcall-api} nested in {@code
   * BOOT-INF/lib}).
   */
  static Path springAppJar() {
    Path jar =
        Path.of(
                System.getProperty(
                    "lastcall.springAppJar", "../spring-app/target/lastcall-spring-app-exec.jar"))
            .toAbsolutePath()
            .normalize();
    assertTrue(
        Files.isRegularFile(jar),
        "Spring Boot app jar not found at " + jar + "; package the spring-app module first");
    return jar;
  }

  static Path apiJar() {
    Path jar =
        Path.of(
                System.getProperty(
                    "lastcall.apiJar", "../api/target/lastcall-api-0.1.0-SNAPSHOT.jar"))
            .toAbsolutePath()
            .normalize();
    assertTrue(
        Files.isRegularFile(jar), "api jar not found at " + jar + "; package the api module first");
    return jar;
  }

  /** A distinctive key per test, so that a leak of it cannot be confused with anything else. */
  static String randomKey() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return "bb_" + HexFormat.of().formatHex(bytes);
  }

  /** A distinctive v1 Agent API key per test ({@code sk-...}). */
  static String randomAgentKey() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return "sk-" + HexFormat.of().formatHex(bytes);
  }

  /**
   * True if SIGINT is ignored in the given process (/proc/PID/status SigIgn): a JVM started with
   * SIGINT ignored (nohup, a non-interactive shell's background job) keeps it ignored and never
   * sees a SIGINT. Returns false where /proc is missing.
   */
  static boolean sigintIgnored(long pid) throws IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.isReadable(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
        return (mask & (1L << (2 - 1))) != 0; // SIGINT is signal 2
      }
    }
    return false;
  }
}
