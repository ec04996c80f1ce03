package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.emulator.Emulator;
import dev.lastcall.it.probe.TransformerProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An application with no Lastcall code and no api on its class path ({@link ZeroCodeApp}) creates
 * its tasks in the first milliseconds of {@code main} with each HTTP client tracking covers: the
 * JDK's {@code HttpClient}, {@code HttpURLConnection} (http and https), OkHttp 3, 4 and 5, Apache
 * HttpClient 5 classic. The agent's tracking finds them, and SIGTERM stops every one. Answers it
 * must not understand (malformed, huge, gzip-encoded, not JSON) reach the application byte for byte
 * and register nothing. Asserted on the emulator, in the report and on what the app read.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ZeroCodeIT {
  private static final int TASKS = 3;
  private static final String TRACKING_FAILED = "tracking the application's HTTP calls failed";

  @TempDir Path dir;

  /** One client as an app uses it: the app's --client, its jars (target/clients/...), transport. */
  record Client(String label, String client, String jars, Transport transport) {
    @Override
    public String toString() {
      return label;
    }

    /** The app's class path: its classes and this client's jars, nothing else. */
    List<Path> classpath() throws IOException {
      List<Path> path = new ArrayList<>(ChildJvm.codeSources(ZeroCodeApp.class));
      if (jars != null) {
        try (Stream<Path> files =
            Files.list(Path.of(System.getProperty("lastcall.clientJars"), jars))) {
          files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(path::add);
        }
      }
      return path;
    }
  }

  static Stream<Client> clients() {
    return Stream.of(
        new Client("JDK send ofString", "send-string", null, Transport.PLAIN),
        new Client("JDK sendAsync ofByteArray", "async-bytes", null, Transport.PLAIN),
        new Client("JDK send ofInputStream", "send-stream", null, Transport.PLAIN),
        new Client("HttpURLConnection http", "url-connection", null, Transport.PLAIN),
        new Client("HttpURLConnection https", "url-connection", null, Transport.HTTPS_H2),
        new Client("OkHttp 3.14.9", "okhttp", "okhttp3", Transport.PLAIN),
        new Client("OkHttp 4.12.0", "okhttp", "okhttp4", Transport.PLAIN),
        new Client("OkHttp 4.12.0 enqueue", "okhttp-enqueue", "okhttp4", Transport.PLAIN),
        new Client("OkHttp 5.x https", "okhttp", "okhttp5", Transport.HTTPS_H2),
        new Client("Apache HttpClient 5 execute", "apache-classic", "apache5", Transport.PLAIN),
        new Client("Apache HttpClient 5 handler", "apache-handler", "apache5", Transport.PLAIN));
  }

  private AgentJvm app(Emulator emulator, String key, Path report, Client client)
      throws IOException {
    return AgentJvm.sampleApp()
        .mainClass(ZeroCodeApp.class.getName())
        .classpath(client.classpath())
        .talksTo(emulator, dir)
        .baseUrl(emulator.baseUrl())
        .apiKey(key)
        .timeout("5s")
        .report(report)
        .tasks(TASKS)
        .appArgs("--client", client.client());
  }

  private static Set<String> created(ChildJvm child) {
    return child.stdout().stream()
        .filter(line -> line.startsWith("CREATED "))
        .map(line -> line.substring("CREATED ".length()))
        .collect(Collectors.toSet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void everyTaskTheAppCreatesIsStoppedAtSigterm(Client client) throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (Emulator emulator =
            Scenario.emulator(client.transport(), key, Duration.ZERO, Duration.ofMinutes(10));
        ChildJvm child = app(emulator, key, report, client).start()) {
      assertEquals(TASKS, child.awaitReady(Scenario.READY_TIMEOUT), child.describe());
      Set<String> ids = created(child);
      assertEquals(TASKS, ids.size(), child.describe());

      child.signal("TERM");
      child.awaitExit(Duration.ofSeconds(60));

      for (String id : ids) {
        assertEquals("stopped", emulator.task(id).orElseThrow().status(), child.describe());
      }
      AgentReport parsed = AgentReport.read(report);
      assertEquals(
          ids,
          parsed.tasks().stream().map(AgentReport.Entry::id).collect(Collectors.toSet()),
          parsed.raw());
      assertFalse(String.join("\n", child.stderr()).contains(TRACKING_FAILED), child.describe());
      // Nothing of tracking's shows on the app's stderr: no JVM warning (class data sharing, or
      // sun.misc.Unsafe from JDK 24 on, which Byte Buddy's class injection used to cause).
      assertEquals(
          List.of(),
          child.stderr().stream().filter(line -> line.startsWith("WARNING:")).toList(),
          child.describe());
      if (client.client().startsWith("okhttp")) {
        // Tracking's interceptor, once, though the app's client was copied with newBuilder().
        assertTrue(child.stdout().contains("OKHTTP_INTERCEPTORS 1"), child.describe());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"send-string", "url-connection"})
  void aTaskTheAppStoppedItselfIsNoLongerTracked(String client) throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    Client c = new Client(client, client, null, Transport.PLAIN);
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        ChildJvm child = app(emulator, key, report, c).appArgs("--stop-first", "true").start()) {
      child.awaitReady(Scenario.READY_TIMEOUT);
      assertTrue(child.stdout().contains("STOPPED 200"), child.describe());
      Set<String> ids = created(child);

      child.signal("TERM");
      child.awaitExit(Duration.ofSeconds(60));

      AgentReport parsed = AgentReport.read(report);
      assertEquals(TASKS - 1, parsed.tasks().size(), parsed.raw());
      for (String id : ids) {
        assertEquals("stopped", emulator.task(id).orElseThrow().status());
      }
      // The app's own stop and the agent's of the two others: nobody stopped a task twice.
      assertEquals(Map.of("stopped", (long) TASKS), emulator.countsByStatus());
      assertEquals(TASKS, ids.stream().mapToLong(id -> stopCalls(emulator, id)).sum());
    }
  }

  /**
   * {@code track=off} adds no transformer at all, at any time: Lastcall's agent is started by a
   * probe agent that watches every {@code addTransformer} on the {@code Instrumentation} it hands
   * over. With {@code track=auto} the same probe sees tracking's, so it would see one if added.
   */
  @ParameterizedTest(name = "track={0}")
  @ValueSource(strings = {"off", "auto"})
  void trackOffAddsNoTransformerAndTheTasksRunOn(String track) throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    Client client = new Client("JDK", "send-string", null, Transport.PLAIN);
    try (Emulator emulator = Scenario.emulator(key, Duration.ZERO, Duration.ofMinutes(10));
        ChildJvm child =
            app(emulator, key, report, client)
                .javaagentJar(probeJar())
                .jvmOption("-Dlastcall.it.agentJar=" + AgentJvm.agentJarSnapshot())
                .agentArg("track=" + track)
                .start()) {
      child.awaitReady(Scenario.READY_TIMEOUT);
      Set<String> ids = created(child);

      child.signal("TERM");
      child.awaitExit(Duration.ofSeconds(60));

      List<String> added =
          child.stdout().stream()
              .filter(line -> line.startsWith("ADDED_TRANSFORMER "))
              .collect(Collectors.toList());
      if (track.equals("off")) {
        assertEquals(List.of(), added, child.describe());
        for (String id : ids) {
          assertEquals("processing", emulator.task(id).orElseThrow().status());
        }
        assertEquals(List.of(), AgentReport.read(report).tasks());
      } else {
        assertFalse(added.isEmpty(), "the probe sees tracking's transformer" + child.describe());
        for (String id : ids) {
          assertEquals("stopped", emulator.task(id).orElseThrow().status(), child.describe());
        }
      }
    }
  }

  /** A create answer tracking must not understand, and the clients it is tried with. */
  enum BadAnswer {
    MALFORMED(
        "{\"task\": {\"id\": \"t-malformed-1\", \"status\": ".getBytes(StandardCharsets.UTF_8), ""),
    HUGE(huge(), ""),
    // No length to refuse it by up front: the copy stops at the cap while the app reads on.
    HUGE_CHUNKED(huge(), "Transfer-Encoding: chunked\r\n"),
    NOT_JSON(
        "<html><body>task t-html-1 created</body></html>".getBytes(StandardCharsets.UTF_8), ""),
    // The JDK's clients hand the application the encoded bytes; OkHttp and Apache decode gzip
    // themselves (the app then reads JSON, and so does tracking), so they are not tried here.
    GZIP(gzip(validTask("t-gzip-1")), "Content-Encoding: gzip\r\n");

    final byte[] body;
    final String headers;

    BadAnswer(byte[] body, String headers) {
      this.body = body;
      this.headers = headers;
    }

    private static byte[] huge() {
      String filler = "x".repeat((1 << 20) + 1024);
      return ("{\"task\": {\"id\": \"t-huge-1\", \"status\": \"processing\", \"prompt\": \""
              + filler
              + "\"}}")
          .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] validTask(String id) {
      return ("{\"task\": {\"id\": \"" + id + "\", \"status\": \"processing\"}}")
          .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] bytes) {
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream zip = new GZIPOutputStream(out)) {
          zip.write(bytes);
        }
        return out.toByteArray();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static Stream<Arguments> badAnswers() {
    List<Arguments> cases = new ArrayList<>();
    for (BadAnswer answer : BadAnswer.values()) {
      cases.add(Arguments.of(answer, new Client("JDK", "send-string", null, Transport.PLAIN)));
      cases.add(
          Arguments.of(
              answer, new Client("HttpURLConnection", "url-connection", null, Transport.PLAIN)));
      if (answer != BadAnswer.GZIP) {
        cases.add(
            Arguments.of(answer, new Client("OkHttp 5", "okhttp", "okhttp5", Transport.PLAIN)));
        cases.add(
            Arguments.of(
                answer, new Client("Apache 5", "apache-classic", "apache5", Transport.PLAIN)));
      }
    }
    return cases.stream();
  }

  /**
   * A server standing in for the API answers every create with {@code answer}: the app reads
   * exactly those bytes (length and SHA-256 as it printed them), gets no error, and nothing is
   * registered: the report lists no task and tracking counted no failure.
   */
  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("badAnswers")
  void anAnswerTrackingCannotReadReachesTheAppUnchangedAndRegistersNothing(
      BadAnswer answer, Client client) throws Exception {
    List<String> tracked = rawRun(client, answer.body, answer.headers, null);
    assertEquals(List.of(), tracked);
  }

  /**
   * The same server answering a valid create: tracked when it is the agent's baseUrl (so the runs
   * above would have shown a registration), with or without a length, and untouched when the
   * agent's API is elsewhere.
   */
  @ParameterizedTest(name = "{0}, agent's API here: {1}, chunked: {2}")
  @MethodSource("originCases")
  void onlyTheApisOriginCounts(Client client, boolean agentsOrigin, boolean chunked)
      throws Exception {
    byte[] valid =
        "{\"task\": {\"id\": \"t-valid-1\", \"status\": \"processing\"}}"
            .getBytes(StandardCharsets.UTF_8);
    List<String> tracked =
        rawRun(
            client,
            valid,
            chunked ? "Transfer-Encoding: chunked\r\n" : "",
            agentsOrigin ? null : "http://127.0.0.1:9");
    assertEquals(agentsOrigin ? List.of("t-valid-1") : List.of(), tracked);
  }

  static Stream<Arguments> originCases() {
    List<Arguments> cases = new ArrayList<>();
    for (Client client :
        List.of(
            new Client("JDK", "send-string", null, Transport.PLAIN),
            new Client("HttpURLConnection", "url-connection", null, Transport.PLAIN),
            new Client("OkHttp 3", "okhttp", "okhttp3", Transport.PLAIN),
            new Client("Apache 5 handler", "apache-handler", "apache5", Transport.PLAIN))) {
      cases.add(Arguments.of(client, true, false));
      cases.add(Arguments.of(client, false, false));
      // A body without a length, read whole by the app: tracked too.
      cases.add(Arguments.of(client, true, true));
    }
    return cases.stream();
  }

  /**
   * Runs the app against a raw server that answers every request with {@code body}: checks the app
   * read exactly those bytes, with no error and no tracking failure; returns the report's ids.
   * {@code agentBaseUrl}: the agent's API when it is not that server.
   */
  private List<String> rawRun(Client client, byte[] body, String headers, String agentBaseUrl)
      throws Exception {
    String key = AgentJvm.randomKey();
    Path report = dir.resolve("report.json");
    try (RawHttpServer server =
            RawHttpServer.answering(request -> new RawHttpServer.Answer(200, body, 0, headers));
        ChildJvm child =
            AgentJvm.sampleApp()
                .mainClass(ZeroCodeApp.class.getName())
                .classpath(client.classpath())
                .baseUrl(server.baseUrl())
                .agentBaseUrl(agentBaseUrl)
                .apiKey(key)
                .timeout("2s")
                .report(report)
                .tasks(2)
                .appArgs("--client", client.client(), "--read", "raw")
                .start()) {
      assertEquals(2, child.awaitReady(Scenario.READY_TIMEOUT), child.describe());
      String expected = "READ " + body.length + " " + ZeroCodeApp.sha256(body);
      assertEquals(
          List.of(expected, expected),
          child.stdout().stream().filter(line -> line.startsWith("READ ")).toList(),
          child.describe());

      child.signal("TERM");
      child.awaitExit(Duration.ofSeconds(60));

      assertFalse(String.join("\n", child.stderr()).contains(TRACKING_FAILED), child.describe());
      return AgentReport.read(report).tasks().stream().map(AgentReport.Entry::id).toList();
    }
  }

  /** An agent jar whose manifest names the probe; its classes come from the app's class path. */
  @SuppressWarnings("try") // the jar stream is opened for the manifest it writes, not used
  private Path probeJar() throws IOException {
    Path jar = dir.resolve("transformer-probe.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", TransformerProbe.class.getName());
    // The capabilities Lastcall's own manifest asks for: tracking retransforms.
    manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
    manifest.getMainAttributes().putValue("Can-Redefine-Classes", "true");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      // only the manifest
    }
    return jar;
  }

  private static long stopCalls(Emulator emulator, String id) {
    return emulator.task(id).orElseThrow().stopCalls();
  }
}
