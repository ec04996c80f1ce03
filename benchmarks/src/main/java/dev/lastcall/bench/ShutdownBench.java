package dev.lastcall.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The side-by-side shutdown benchmark and the agent attach cost, run by {@code benchmarks/run.sh}.
 * Every figure is measured by this process, the parent: from just before the signal is sent ({@link
 * Process#destroy()} is SIGTERM) to the moment the child is seen to have exited.
 *
 * <pre>
 * ShutdownBench shutdown JARS --out FILE [--raw FILE.csv] [--reps 5] [--big-reps 3]
 *               [--transports plain,https1,h2] [--sizes 1,10,50,1000] [--latencies 0,50]
 *               [--settle-ms 1000] [--cold-ms 100] [--node-create-concurrency 50]
 * ShutdownBench attach JARS --out FILE [--runs 20] [--baseline-agent-jar OLDER.jar --baseline-name NAME]
 *
 * JARS: --agent-jar lastcall-agent.jar --emulator-jar lastcall-emulator.jar
 *       --empty-agent-jar *-empty-agent.jar --app-classpath BENCH_CLASSES:API_CLASSES
 *       [--node-script cancel-on-sigterm.mjs]
 * </pre>
 *
 * Transports: {@code plain} HTTP/1.1, {@code https1} HTTPS whose server offers only {@code
 * http/1.1}, {@code h2} HTTPS whose server offers {@code h2} too; one emulator process each.
 *
 * <p>Every input is named on the command line (benchmarks/run.sh finds them relative to itself), so
 * the benchmark runs the same from any directory.
 *
 * <p>Contenders are run in a rotating order in every repetition, so that load from elsewhere on the
 * machine falls on all of them alike. Each run gets fresh tasks; after it, the emulator is asked
 * how many of that run's tasks were left running.
 */
public final class ShutdownBench {
  private ShutdownBench() {}

  /**
   * Private copies of what the runs execute, so a rebuild in the tree meanwhile cannot change them.
   */
  private static Path agentJar;

  private static Path emptyAgentJar;
  private static Path baselineAgentJar; // an older agent jar, measured beside the current one
  private static String baselineName;
  private static Path emulatorJar;
  private static Path classes;

  /** The Node contender's script (the shutdown run only). */
  private static Path nodeScript;

  private static void privateCopies(Map<String, String> opts) throws IOException {
    Path dir = Files.createTempDirectory("lastcall-bench-bin");
    agentJar = Files.copy(input(opts, "--agent-jar"), dir.resolve("lastcall-agent.jar"));
    emulatorJar = Files.copy(input(opts, "--emulator-jar"), dir.resolve("lastcall-emulator.jar"));
    emptyAgentJar = Files.copy(input(opts, "--empty-agent-jar"), dir.resolve("empty-agent.jar"));
    if (opts.containsKey("--baseline-agent-jar")) {
      baselineAgentJar =
          Files.copy(input(opts, "--baseline-agent-jar"), dir.resolve("baseline-agent.jar"));
      baselineName = opts.getOrDefault("--baseline-name", "(baseline)");
    }
    classes = dir.resolve("classes");
    for (String entry : required(opts, "--app-classpath").split(File.pathSeparator)) {
      Path from = Path.of(entry).toAbsolutePath();
      try (var walk = Files.walk(from)) {
        for (Path f : (Iterable<Path>) walk::iterator) {
          Path to = classes.resolve(from.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(to);
          } else if (!Files.exists(to)) {
            Files.copy(f, to);
          }
        }
      }
    }
  }

  private static String required(Map<String, String> opts, String name) {
    String value = opts.get(name);
    if (value == null) {
      throw new IllegalArgumentException(name + " is required (benchmarks/run.sh passes it)");
    }
    return value;
  }

  /** Where the shutdown run's raw data goes: --raw, or shutdown-raw.csv beside --out. */
  private static Path raw(Map<String, String> opts) {
    Path out = Path.of(opts.getOrDefault("--out", "bench-result.md")).toAbsolutePath();
    return opts.containsKey("--raw")
        ? Path.of(opts.get("--raw"))
        : out.resolveSibling("shutdown-raw.csv");
  }

  /** An existing file named by option {@code name}. */
  private static Path input(Map<String, String> opts, String name) {
    Path file = Path.of(required(opts, name)).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(name + ": no such file " + file + "; build first");
    }
    return file;
  }

  private static String javaCmd;

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      opts.put(args[i], args[i + 1]);
    }
    javaCmd = ProcessHandle.current().info().command().orElse("java");
    Path out = Path.of(opts.getOrDefault("--out", "bench-result.md"));
    privateCopies(opts);
    String table =
        switch (args[0]) {
          case "shutdown" -> shutdown(opts);
          case "attach" -> attach(Integer.parseInt(opts.getOrDefault("--runs", "20")));
          default -> throw new IllegalArgumentException("shutdown or attach, not " + args[0]);
        };
    Files.writeString(out, table, StandardCharsets.UTF_8);
    System.out.print(table);
  }

  // ------------------------------------------------------------------------------------------
  // Shutdown time

  /** How the contenders reach the emulator: one emulator process per transport. */
  enum Transport {
    PLAIN("plain", "plain HTTP/1.1"),
    HTTPS1("https1", "HTTPS/1.1 (server offers http/1.1 only)"),
    H2("h2", "HTTPS, server offers h2");

    final String arg;
    final String title;

    Transport(String arg, String title) {
      this.arg = arg;
      this.title = title;
    }

    static List<Transport> parse(String list) {
      List<Transport> out = new ArrayList<>();
      for (String word : list.split(",")) {
        Transport t =
            Arrays.stream(values())
                .filter(x -> x.arg.equals(word.trim()))
                .findFirst()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "--transports: unknown transport '"
                                + word.trim()
                                + "'; accepted: plain, https1, h2, comma-separated"));
        if (!out.contains(t)) {
          out.add(t);
        }
      }
      return out;
    }
  }

  /** A way of cancelling at shutdown. */
  enum Contender {
    LASTCALL("Lastcall agent (steady)"),
    LASTCALL_COLD("Lastcall agent, cold"),
    NODE("Node fetch + allSettled"),
    SEQUENTIAL("Java hook, sequential HttpURLConnection"),
    ASYNC("Java hook, HttpClient.sendAsync"),
    FLOOR("floor: same JVM, no tasks, no agent"),
    NODE_FLOOR("Node floor: same script, no tasks"),
    LASTCALL_1024("Lastcall, concurrency=1024");

    final String title;

    Contender(String title) {
      this.title = title;
    }

    /** The same app's exit without the agent (or without tasks): what its cancel phase is over. */
    Contender floor() {
      return switch (this) {
        case NODE -> NODE_FLOOR;
        case FLOOR, NODE_FLOOR -> null;
        default -> FLOOR;
      };
    }

    /** Whether the app creates its own tasks (with fetch) rather than being handed them. */
    boolean createsItsTasks() {
      return this == NODE || this == NODE_FLOOR;
    }
  }

  /**
   * One shutdown: wall ms from signal to exit, tasks left running and stopped, its stderr summary,
   * ms from READY until the agent's warm connection was seen, CPU ms spent from signal to exit, and
   * the connections the emulator accepted from the signal to the exit, by protocol.
   */
  record Run(
      long ms,
      int running,
      int stopped,
      String note,
      long prepMs,
      long cpuMs,
      long newH1,
      long newH2) {}

  /**
   * What every run of one shutdown benchmark shares; {@code nodeCreateConcurrency}: how many tasks
   * the Node app creates at a time, so how many keep-alive connections its client holds at the
   * signal (at most that many).
   */
  record Settings(long settleMs, long coldMs, int nodeCreateConcurrency) {}

  private static String shutdown(Map<String, String> opts) throws Exception {
    nodeScript = input(opts, "--node-script");
    int reps = Integer.parseInt(opts.getOrDefault("--reps", "5"));
    int bigReps = Integer.parseInt(opts.getOrDefault("--big-reps", "3"));
    Settings settings =
        new Settings(
            Long.parseLong(opts.getOrDefault("--settle-ms", "1000")),
            Long.parseLong(opts.getOrDefault("--cold-ms", "100")),
            Integer.parseInt(opts.getOrDefault("--node-create-concurrency", "50")));
    List<Transport> transports =
        Transport.parse(opts.getOrDefault("--transports", "plain,https1,h2"));
    int[] sizes =
        Arrays.stream(opts.getOrDefault("--sizes", "1,10,50,1000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int[] latencies =
        Arrays.stream(opts.getOrDefault("--latencies", "0,50").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    Path work = Files.createTempDirectory("lastcall-bench");

    // e.g. "-XX:TieredStopAtLevel=1": the emulator shares the 2 cores with the contender, and its
    // C2 compiler alone can take about a second of CPU per burst of 1,000 requests.
    String emulatorFlags = opts.getOrDefault("--emulator-jvm-flags", "");
    List<Contender> columns =
        List.of(
            Contender.LASTCALL,
            Contender.LASTCALL_COLD,
            Contender.NODE,
            Contender.SEQUENTIAL,
            Contender.ASYNC);
    StringBuilder md = new StringBuilder("| transport | tasks | added latency | one request | ");
    for (Contender c : columns) {
      md.append(c.title).append(" | ");
    }
    md.append("floors: JVM / Node |\n|---|---|---|---|").append("---|".repeat(columns.size()));
    md.append("---|\n");
    StringBuilder raw =
        new StringBuilder(
            "transport,n,latencyMs,rep,contender,ms,cpuMs,prepMs,newH1,newH2,leftRunning,stopped,"
                + "note\n");
    List<String> extra = new ArrayList<>();
    List<Long> prepMs = new ArrayList<>();
    List<Verdict> verdicts = new ArrayList<>();
    try {
      for (Transport transport : transports) {
        EmulatorControl emu = EmulatorControl.start(work, emulatorFlags, transport);
        try {
          Map<Integer, Long> physical = new LinkedHashMap<>();
          for (int latency : latencies) {
            emu.latency(latency);
            physical.put(latency, emu.oneRequestMs());
          }
          // Each floor's median per latency, measured with the first size (it has no tasks).
          Map<Integer, Map<Contender, List<Run>>> floors = new LinkedHashMap<>();
          for (int n : sizes) {
            for (int latency : latencies) {
              List<Contender> contenders =
                  new ArrayList<>(
                      List.of(Contender.LASTCALL, Contender.LASTCALL_COLD, Contender.NODE));
              // The hand-written Java hooks stay on plain HTTP: over TLS they would need their own
              // trust set-up and add minutes to every run, and the targets are against
              // Node.
              if (transport == Transport.PLAIN) {
                contenders.addAll(List.of(Contender.SEQUENTIAL, Contender.ASYNC));
                if (n >= 1000) {
                  contenders.add(Contender.LASTCALL_1024);
                }
              }
              if (n == sizes[0]) {
                contenders.addAll(List.of(Contender.FLOOR, Contender.NODE_FLOOR));
              }
              Map<Contender, List<Run>> runs = new LinkedHashMap<>();
              int r = n >= 10_000 ? bigReps : reps;
              for (int rep = 0; rep < r; rep++) {
                for (int k = 0; k < contenders.size(); k++) {
                  Contender c = contenders.get((k + rep) % contenders.size()); // rotate the order
                  boolean isFloor = c.floor() == null;
                  Run run = once(emu, work, c, isFloor ? 0 : n, latency, settings);
                  runs.computeIfAbsent(c, x -> new ArrayList<>()).add(run);
                  raw.append(
                      String.format(
                          Locale.ROOT,
                          "%s,%d,%d,%d,%s,%d,%d,%d,%d,%d,%d,%d,\"%s\"%n",
                          transport.arg,
                          n,
                          latency,
                          rep,
                          c.name(),
                          run.ms,
                          run.cpuMs,
                          run.prepMs,
                          run.newH1,
                          run.newH2,
                          run.running,
                          run.stopped,
                          run.note.replace('"', '\'')));
                  System.err.printf(
                      "  %-6s n=%-5d latency=%-3d rep=%d %-13s %6d ms (cpu %d ms, new conns h1 %d"
                          + " h2 %d), left running %d  %s%n",
                      transport.arg,
                      n,
                      latency,
                      rep,
                      c.name(),
                      run.ms,
                      run.cpuMs,
                      run.newH1,
                      run.newH2,
                      run.running,
                      run.note);
                }
              }
              if (n == sizes[0]) {
                Map<Contender, List<Run>> f = new LinkedHashMap<>();
                f.put(Contender.FLOOR, runs.get(Contender.FLOOR));
                f.put(Contender.NODE_FLOOR, runs.get(Contender.NODE_FLOOR));
                floors.put(latency, f);
              }
              Map<Contender, List<Run>> floor = floors.get(latency);
              long lastcall =
                  median(runs.get(Contender.LASTCALL)) - median(floor.get(Contender.FLOOR));
              md.append(
                  String.format(
                      Locale.ROOT,
                      "| %s | %,d | %d ms | %d ms | ",
                      transport.arg,
                      n,
                      latency,
                      physical.get(latency)));
              for (Contender c : columns) {
                List<Run> list = runs.get(c);
                md.append(
                        list == null
                            ? "(plain only)"
                            : cell(list, median(floor.get(c.floor())), lastcall, c))
                    .append(" | ");
              }
              md.append(
                  String.format(
                      Locale.ROOT,
                      "%d / %d |%n",
                      median(floor.get(Contender.FLOOR)),
                      median(floor.get(Contender.NODE_FLOOR))));
              if (runs.containsKey(Contender.LASTCALL_1024)) {
                extra.add(
                    String.format(
                        Locale.ROOT,
                        "%s, %s, %,d tasks at %d ms: %s",
                        Contender.LASTCALL_1024.title,
                        transport.arg,
                        n,
                        latency,
                        cell(
                            runs.get(Contender.LASTCALL_1024),
                            median(floor.get(Contender.FLOOR)),
                            lastcall,
                            Contender.LASTCALL_1024)));
              }
              prepMs.addAll(runs.get(Contender.LASTCALL).stream().map(Run::prepMs).toList());
              verdicts.add(
                  new Verdict(
                      transport,
                      n,
                      latency,
                      lastcall,
                      median(runs.get(Contender.LASTCALL_COLD))
                          - median(floor.get(Contender.FLOOR)),
                      median(runs.get(Contender.NODE)) - median(floor.get(Contender.NODE_FLOOR))));
            }
          }
        } finally {
          emu.quit();
        }
      }
      md.append('\n').append(notes(transports, reps, bigReps, settings, prepMs));
      md.append('\n').append(Verdict.table(verdicts));
      if (!extra.isEmpty()) {
        md.append("\nOther rows:\n");
        for (String line : extra) {
          md.append("\n- ").append(line).append('\n');
        }
      }
    } finally {
      Files.writeString(raw(opts), raw, StandardCharsets.UTF_8);
    }
    return md.toString();
  }

  /**
   * One cell's cancel phases, medians, checked against issue 9's targets (at 50 ms of latency):
   * Lastcall's at most 90 ms for up to 50 tasks, at most 0.4 s for 1,000 over plain HTTP/1.1 and h2
   * and 0.8 s over HTTPS/1.1; at least 1.5 times faster than Node; cold at most twice steady.
   */
  record Verdict(Transport transport, int n, int latency, long steady, long cold, long node) {
    static final int TARGET_LATENCY = 50;

    /** Lastcall's bound in ms for this cell, or -1 where the issue sets none. */
    long bound() {
      if (n <= 50) {
        return 90;
      }
      if (n == 1000) {
        return transport == Transport.HTTPS1 ? 800 : 400;
      }
      return -1;
    }

    static String table(List<Verdict> verdicts) {
      StringBuilder md =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "Issue 9's targets at %d ms (cancel phases, medians; ✓ met, ✗ missed):%n%n"
                      + "| transport | tasks | Lastcall ≤ bound | Node ÷ Lastcall ≥ 1.5 |"
                      + " cold ÷ steady ≤ 2 |%n|---|---|---|---|---|%n",
                  TARGET_LATENCY));
      int rows = 0;
      for (Verdict v : verdicts) {
        if (v.latency != TARGET_LATENCY) {
          continue;
        }
        rows++;
        long bound = v.bound();
        double nodeRatio = v.node / (double) Math.max(1, v.steady);
        double coldRatio = v.cold / (double) Math.max(1, v.steady);
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %,d | %s | %s %.2f× | %s %.2f× |%n",
                v.transport.arg,
                v.n,
                bound < 0
                    ? v.steady + " ms (no target)"
                    : (v.steady <= bound ? "✓ " : "✗ ") + v.steady + " ms (≤ " + bound + ")",
                nodeRatio >= 1.5 ? "✓" : "✗",
                nodeRatio,
                coldRatio <= 2 ? "✓" : "✗",
                coldRatio));
      }
      return rows == 0 ? "" : md.toString();
    }
  }

  /** What the table's figures are, under it. */
  private static String notes(
      List<Transport> transports, int reps, int bigReps, Settings settings, List<Long> prepMs) {
    StringBuilder md = new StringBuilder("Transports: ");
    for (Transport t : transports) {
      md.append('`').append(t.arg).append("` ").append(t.title).append("; ");
    }
    md.setLength(md.length() - 2);
    long[] prep = prepMs.stream().mapToLong(Long::longValue).sorted().toArray();
    md.append(
        String.format(
            Locale.ROOT,
            ".%n%nEach cell: **cancel phase**, median ms = the median signal-to-exit time minus the"
                + " same app's median exit without the agent or tasks (the floor, last column:"
                + " BenchApp without tasks for the Java contenders, the Node script without tasks"
                + " for Node), in the same run; then (median exit [min–max]; × Lastcall's cancel"
                + " phase; median new connections the emulator accepted from the signal to the"
                + " exit, by protocol; median CPU ms the process used from the signal to its exit;"
                + " tasks left running, summed over all runs / tasks in all runs). Runs per cell:"
                + " %d (%d for 10,000 tasks), contenders in rotating order.%n%nSteady: the signal"
                + " %d ms after READY, and not before the agent's warm connection is up (the"
                + " emulator accepted it and answered its request; seen a median of %d ms after"
                + " READY [%d–%d]). Cold: the signal %d ms after the app's first registration (the"
                + " agent's preparation not finished). The Node app creates its tasks itself with"
                + " fetch (at most %d at a time), so its client holds up to that many warm"
                + " keep-alive connections at the signal, and is signalled %d ms after READY; over"
                + " HTTPS it trusts the emulator's CA through NODE_EXTRA_CA_CERTS, the agent"
                + " through caFile. The Java hooks run over plain HTTP only (over TLS they would"
                + " need their own trust set-up and lengthen every run). One request: the median of"
                + " 7 single requests from the harness (after 10 not counted), each on a new"
                + " connection (over TLS with its handshake).%n",
            reps,
            bigReps,
            settings.settleMs(),
            prep.length == 0 ? 0 : prep[prep.length / 2],
            prep.length == 0 ? 0 : prep[0],
            prep.length == 0 ? 0 : prep[prep.length - 1],
            settings.coldMs(),
            settings.nodeCreateConcurrency(),
            settings.settleMs()));
    return md.toString();
  }

  /** One contender's cell: its cancel phase over {@code floorMedian}, compared to Lastcall's. */
  private static String cell(List<Run> list, long floorMedian, long lastcallCancel, Contender c) {
    long median = median(list);
    long cancel = median - floorMedian;
    long min = list.stream().mapToLong(Run::ms).min().orElse(0);
    long max = list.stream().mapToLong(Run::ms).max().orElse(0);
    int left = list.stream().mapToInt(Run::running).sum();
    int total = list.stream().mapToInt(x -> x.running + x.stopped).sum();
    String ratio =
        c == Contender.LASTCALL
            ? "1.00×"
            : String.format(Locale.ROOT, "%.2f×", cancel / (double) Math.max(1, lastcallCancel));
    return String.format(
        Locale.ROOT,
        "**%d** (exit %d [%d–%d]; %s; conns %s; cpu %d; left %d/%d)",
        cancel,
        median,
        min,
        max,
        ratio,
        connections(list),
        middle(list.stream().mapToLong(Run::cpuMs)),
        left,
        total);
  }

  /** The median new connections by protocol: "h1 3", "h2 1", "h1 1 + h2 1" or "0". */
  private static String connections(List<Run> list) {
    long h1 = middle(list.stream().mapToLong(Run::newH1));
    long h2 = middle(list.stream().mapToLong(Run::newH2));
    if (h1 == 0 && h2 == 0) {
      return "0";
    }
    if (h2 == 0) {
      return "h1 " + h1;
    }
    return h1 == 0 ? "h2 " + h2 : "h1 " + h1 + " + h2 " + h2;
  }

  /** The upper median of some figures (of runs, so never empty). */
  private static long middle(java.util.stream.LongStream figures) {
    long[] v = figures.sorted().toArray();
    return v[v.length / 2];
  }

  private static long median(List<Run> runs) {
    long[] ms = runs.stream().mapToLong(Run::ms).sorted().toArray();
    return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
  }

  private static Run once(
      EmulatorControl emu, Path work, Contender c, int n, int latency, Settings settings)
      throws Exception {
    Path ids = work.resolve("ids-" + System.nanoTime() + ".txt");
    // Tasks are made without latency: by the emulator in-process, or by the Node app with fetch
    // (the latency is then set once it is READY).
    emu.latency(0);
    if (!c.createsItsTasks()) {
      emu.create(n, ids);
      emu.latency(latency);
    }
    List<String> command = new ArrayList<>();
    String appCp = classes.toString();
    switch (c) {
      case LASTCALL, LASTCALL_COLD, LASTCALL_1024 -> {
        command.add(javaCmd);
        command.add(
            "-javaagent:"
                + agentJar
                + "=baseUrl="
                + emu.baseUrl
                + (emu.caFile == null ? "" : ",caFile=" + emu.caFile)
                + (c == Contender.LASTCALL_1024 ? ",concurrency=1024" : ""));
        command.addAll(
            List.of(
                "-cp",
                appCp,
                BenchApp.class.getName(),
                "--mode",
                "lastcall",
                "--ids",
                ids.toString()));
      }
      case SEQUENTIAL ->
          command.addAll(
              List.of(
                  javaCmd,
                  "--add-opens",
                  "java.base/java.net=ALL-UNNAMED",
                  "-cp",
                  appCp,
                  BenchApp.class.getName(),
                  "--mode",
                  "sequential",
                  "--ids",
                  ids.toString(),
                  "--base-url",
                  emu.baseUrl));
      case ASYNC ->
          command.addAll(
              List.of(
                  javaCmd,
                  "-cp",
                  appCp,
                  BenchApp.class.getName(),
                  "--mode",
                  "async",
                  "--ids",
                  ids.toString(),
                  "--base-url",
                  emu.baseUrl));
      case FLOOR ->
          command.addAll(
              List.of(
                  javaCmd,
                  "-cp",
                  appCp,
                  BenchApp.class.getName(),
                  "--mode",
                  "none",
                  "--ids",
                  ids.toString()));
      case NODE, NODE_FLOOR ->
          command.addAll(List.of(node(), nodeScript.toString(), ids.toString()));
    }
    // /usr/bin/time reports the child's CPU time at exit; minus what it had used at the signal,
    // that is the CPU its shutdown cost, a figure that load from elsewhere on the machine hardly
    // moves.
    Path cpuFile = work.resolve("cpu-" + System.nanoTime() + ".txt");
    command.addAll(0, List.of("/usr/bin/time", "-f", "CPU %U %S", "-o", cpuFile.toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("BLACKBOX_API_KEY", EmulatorProcess.KEY);
    pb.environment().put("BLACKBOX_BASE_URL", emu.baseUrl);
    if (c.createsItsTasks()) {
      pb.environment().put("CREATE_TASKS", Integer.toString(n));
      pb.environment()
          .put("CREATE_CONCURRENCY", Integer.toString(settings.nodeCreateConcurrency()));
      if (emu.caFile != null) {
        pb.environment().put("NODE_EXTRA_CA_CERTS", emu.caFile.toString());
      }
    }
    long[] atStart = emu.connections();
    Process p = pb.start();
    CompletableFuture<Long> first = new CompletableFuture<>();
    CompletableFuture<Long> ready = new CompletableFuture<>();
    List<String> err = Collections.synchronizedList(new ArrayList<>());
    drain(
        p.getInputStream(),
        line -> {
          if (line.startsWith("FIRST")) {
            first.complete(System.nanoTime());
          } else if (line.startsWith("READY")) {
            ready.complete(System.nanoTime());
          }
        });
    Thread errReader = drain(p.getErrorStream(), err::add);
    long readyAt;
    try {
      readyAt = ready.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException(c + " never said READY; stderr: " + err, e);
    }
    if (c.createsItsTasks()) {
      emu.latency(latency);
    }
    long child = childPid(p.pid());
    long prepMs = 0;
    long signalAt;
    if (c == Contender.LASTCALL_COLD) {
      signalAt = first.getNow(readyAt) + TimeUnit.MILLISECONDS.toNanos(settings.coldMs());
    } else {
      if (c == Contender.LASTCALL || c == Contender.LASTCALL_1024) {
        prepMs = awaitWarmConnection(emu, atStart, readyAt);
      }
      signalAt = readyAt + TimeUnit.MILLISECONDS.toNanos(settings.settleMs());
    }
    long waitNanos = signalAt - System.nanoTime();
    if (waitNanos > 0) {
      TimeUnit.NANOSECONDS.sleep(waitNanos);
    }
    long[] atSignal = emu.connections();
    long cpuAtSignal = cpuMs(child);
    long t0 = System.nanoTime();
    ProcessHandle.of(child).ifPresent(ProcessHandle::destroy); // SIGTERM to the app itself
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(c + " did not exit within 60 s of SIGTERM");
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    errReader.join(5_000);
    // Stops still in the emulator's latency queue are applied when their answer is due.
    Thread.sleep(latency + 100L);
    long[] atEnd = emu.connections();
    long cpuMs = -1;
    try {
      String[] words =
          Files.readString(cpuFile)
              .lines()
              .filter(l -> l.startsWith("CPU "))
              .findFirst()
              .orElseThrow()
              .split(" ");
      cpuMs =
          Math.round((Double.parseDouble(words[1]) + Double.parseDouble(words[2])) * 1000)
              - cpuAtSignal;
      Files.deleteIfExists(cpuFile);
    } catch (IOException | RuntimeException e) {
      // no figure for this run
    }
    int[] check = emu.check(ids);
    Files.deleteIfExists(ids);
    String note;
    synchronized (err) {
      note =
          err.stream()
              .filter(l -> l.startsWith("lastcall:") || l.startsWith("hook:"))
              .findFirst()
              .orElse(err.isEmpty() ? "" : err.get(err.size() - 1));
    }
    return new Run(
        ms,
        check[1],
        check[0],
        note,
        prepMs,
        cpuMs,
        atEnd[0] - atSignal[0],
        atEnd[1] - atSignal[1]);
  }

  /**
   * Waits until the agent's warm connection is up: the emulator has accepted a connection since
   * {@code atStart}, one is open, and the request that opened it has been answered (nothing else
   * connects or asks while the app runs). Returns ms from READY, -1 if that did not happen within
   * 30 s (the run goes on: its connection count will show it).
   */
  private static long awaitWarmConnection(EmulatorControl emu, long[] atStart, long readyAt)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      long[] now = emu.connections();
      if (now[0] + now[1] > atStart[0] + atStart[1]
          && now[2] + now[3] > 0
          && now[4] > atStart[4]
          && now[5] == 0) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - readyAt));
      }
      Thread.sleep(10);
    }
    return -1;
  }

  /** The pid of the process /usr/bin/time started. */
  private static long childPid(long timePid) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      try {
        String children =
            Files.readString(Path.of("/proc/" + timePid + "/task/" + timePid + "/children")).trim();
        if (!children.isEmpty()) {
          return Long.parseLong(children.split("\\s+")[0]);
        }
      } catch (IOException | NumberFormatException e) {
        // not yet
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("no child of /usr/bin/time " + timePid);
  }

  /**
   * User + system CPU ms a live process has used so far (from /proc/PID/stat, 100 ticks a second).
   */
  private static long cpuMs(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime, stime (fields 14, 15)
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static String node() {
    return Files.isExecutable(Path.of("/usr/bin/node")) ? "/usr/bin/node" : "node";
  }

  private static Thread drain(InputStream in, Consumer<String> lines) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.accept(line);
                }
              } catch (IOException ignored) {
                // the process went away
              }
            });
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The emulator process and its stdin control channel. */
  static final class EmulatorControl {
    final Process process;
    final BufferedReader out;
    final Writer in;
    final String baseUrl;

    /** The PEM of the CA its TLS certificate chains to; null over plain HTTP. */
    final Path caFile;

    /** Trusts {@link #caFile}, for the harness's own requests; null over plain HTTP. */
    private final SSLSocketFactory tls;

    private EmulatorControl(Process process) throws IOException, GeneralSecurityException {
      this.process = process;
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      String line = out.readLine();
      if (line != null && line.startsWith("CA ")) {
        this.caFile = Path.of(line.substring(3));
        this.tls = trusting(caFile);
        line = out.readLine();
      } else {
        this.caFile = null;
        this.tls = null;
      }
      if (line == null || !line.startsWith("URL ")) {
        throw new IllegalStateException("emulator did not start: " + line);
      }
      this.baseUrl = line.substring(4);
    }

    static EmulatorControl start(Path work, String jvmFlags, Transport transport)
        throws IOException, GeneralSecurityException {
      String cp = emulatorJar + File.pathSeparator + classes;
      List<String> command = new ArrayList<>(List.of(javaCmd, "-Xmx2g"));
      if (!jvmFlags.isBlank()) {
        command.addAll(List.of(jvmFlags.trim().split("\\s+")));
      }
      command.addAll(List.of("-cp", cp, EmulatorProcess.class.getName(), transport.arg));
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.redirectError(work.resolve("emulator-" + transport.arg + ".err").toFile());
      return new EmulatorControl(pb.start());
    }

    private static SSLSocketFactory trusting(Path pem)
        throws IOException, GeneralSecurityException {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      try (InputStream in = Files.newInputStream(pem)) {
        int i = 0;
        for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("ca" + i++, cert);
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    }

    synchronized String ask(String command) throws IOException {
      in.write(command + "\n");
      in.flush();
      String answer = out.readLine();
      if (answer == null || answer.startsWith("ERROR")) {
        throw new IllegalStateException("emulator: " + command + " -> " + answer);
      }
      return answer;
    }

    void create(int n, Path file) throws IOException {
      ask("create " + n + " " + file);
    }

    void latency(int ms) throws IOException {
      ask("latency " + ms);
    }

    /** {stopped, running, other} for the ids in the file. */
    int[] check(Path file) throws IOException {
      return numbers(ask("check " + file), 3);
    }

    /**
     * {accepted h1, accepted h2, open h1, open h2, /api requests received, requests waiting for
     * their answer}.
     */
    long[] connections() throws IOException {
      return Arrays.stream(numbers(ask("conns"), 6)).asLongStream().toArray();
    }

    /** The first {@code count} values of an answer of {@code NAME key=value...}. */
    private static int[] numbers(String answer, int count) {
      String[] words = answer.split("\\s+");
      int[] values = new int[count];
      for (int i = 0; i < count; i++) {
        values[i] = Integer.parseInt(words[i + 1].substring(words[i + 1].indexOf('=') + 1));
      }
      return values;
    }

    /**
     * Median of 7 single requests, each on a new connection: the least any cancel can take. Ten
     * more go first, not counted, so that neither this JVM's nor the new emulator's first requests
     * (and handshakes) count.
     */
    long oneRequestMs() throws IOException {
      Path one = Files.createTempFile("lastcall-one", ".txt");
      create(1, one);
      String id = Files.readAllLines(one).get(0);
      long[] ms = new long[7];
      for (int i = -10; i < ms.length; i++) {
        long t0 = System.nanoTime();
        HttpURLConnection http =
            (HttpURLConnection) new URL(baseUrl + "/api/tasks/" + id + "/status").openConnection();
        if (http instanceof HttpsURLConnection https) {
          https.setSSLSocketFactory(tls);
        }
        http.setRequestProperty("Authorization", "Bearer " + EmulatorProcess.KEY);
        http.setRequestProperty("Connection", "close");
        try (InputStream body = http.getInputStream()) {
          body.readAllBytes();
        }
        http.disconnect();
        if (i >= 0) {
          ms[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }
      }
      Files.deleteIfExists(one);
      Arrays.sort(ms);
      return ms[ms.length / 2];
    }

    void quit() {
      try {
        in.write("quit\n");
        in.flush();
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (IOException | InterruptedException ignored) {
        // kill below
      }
      process.destroyForcibly();
    }
  }

  // ------------------------------------------------------------------------------------------
  // Attach cost

  private static String attach(int runs) throws Exception {
    Path agent = agentJar;
    Path empty = emptyAgentJar;
    String cp = classes.toString();
    Map<String, List<String>> variants = new LinkedHashMap<>();
    variants.put("no agent", List.of());
    variants.put("empty agent (premain does nothing)", List.of("-javaagent:" + empty));
    variants.put(
        "empty agent in a jar as big as Lastcall's", List.of("-javaagent:" + paddedEmptyAgent()));
    variants.put("Lastcall agent, track=off", List.of("-javaagent:" + agent + "=track=off"));
    variants.put("Lastcall agent (track=auto, the default)", List.of("-javaagent:" + agent));
    if (baselineAgentJar != null) {
      variants.put(
          "Lastcall agent " + baselineName + ", for comparison",
          List.of("-javaagent:" + baselineAgentJar));
    }
    // The same program creating a JDK HttpClient first (a covered class): what tracking's build
    // costs a program that uses a covered client at once. "--http-client" goes after the class.
    variants.put("creates an HttpClient: no agent", List.of("--http-client"));
    variants.put(
        "creates an HttpClient: Lastcall, track=off",
        List.of("-javaagent:" + agent + "=track=off", "--http-client"));
    variants.put(
        "creates an HttpClient: Lastcall (track=auto)",
        List.of("-javaagent:" + agent, "--http-client"));
    Map<String, List<long[]>> results = new LinkedHashMap<>();
    // One warm-up round of each (file cache), not counted.
    for (int round = -1; round < runs; round++) {
      List<String> names = new ArrayList<>(variants.keySet());
      for (int i = 0; i < names.size(); i++) {
        String name = names.get((i + Math.max(round, 0)) % names.size());
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "TIME %e %M", javaCmd));
        List<String> args = variants.get(name);
        boolean httpClient = args.contains("--http-client");
        cmd.addAll(args.stream().filter(a -> !a.equals("--http-client")).toList());
        cmd.addAll(List.of("-cp", cp, Hello.class.getName()));
        if (httpClient) {
          cmd.add("--http-client");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("BLACKBOX_API_KEY", EmulatorProcess.KEY);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        long kb =
            err.lines()
                .filter(l -> l.startsWith("TIME "))
                .mapToLong(l -> Long.parseLong(l.split(" ")[2]))
                .findFirst()
                .orElse(-1);
        if (round >= 0) {
          results.computeIfAbsent(name, x -> new ArrayList<>()).add(new long[] {ms, kb});
        }
      }
    }
    StringBuilder md =
        new StringBuilder(
            "| hello world | median wall ms [min–max] | median peak RSS MiB |"
                + " wall above empty agent |\n|---|---|---|---|\n");
    long emptyMs = medianOf(results.get("empty agent (premain does nothing)"), 0);
    for (Map.Entry<String, List<long[]>> e : results.entrySet()) {
      List<long[]> list = e.getValue();
      long ms = medianOf(list, 0);
      long kb = medianOf(list, 1);
      long min = list.stream().mapToLong(x -> x[0]).min().orElse(0);
      long max = list.stream().mapToLong(x -> x[0]).max().orElse(0);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | **%d** [%d–%d] | %.1f | %+d ms |%n",
              e.getKey(),
              ms,
              min,
              max,
              kb / 1024.0,
              ms - emptyMs));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%nRuns: %d of each, alternating. Lastcall agent jar: %,d bytes"
                + " (%d entries); empty agent jar: %,d bytes%s.%n",
            runs,
            Files.size(agent),
            jarEntries(agent),
            Files.size(empty),
            baselineAgentJar == null
                ? ""
                : String.format(
                    Locale.ROOT,
                    "; %s agent jar: %,d bytes (%d entries)",
                    baselineName,
                    Files.size(baselineAgentJar),
                    jarEntries(baselineAgentJar))));
    return md.toString();
  }

  /**
   * The empty agent's jar with every entry of Lastcall's jar added: premain still does nothing, so
   * its row over the empty agent's is what the jar's size and entry count alone cost an attach.
   */
  private static Path paddedEmptyAgent() throws IOException {
    Path padded = Files.createTempFile("empty-agent-padded", ".jar");
    padded.toFile().deleteOnExit();
    try (var in = new JarFile(emptyAgentJar.toFile());
        var big = new JarFile(agentJar.toFile());
        var out =
            new java.util.jar.JarOutputStream(Files.newOutputStream(padded), in.getManifest())) {
      for (JarFile source : List.of(in, big)) {
        for (var e = source.entries(); e.hasMoreElements(); ) {
          var entry = e.nextElement();
          String name = entry.getName();
          if (name.equals("META-INF/MANIFEST.MF") || (source == big && in.getEntry(name) != null)) {
            continue;
          }
          out.putNextEntry(new java.util.jar.JarEntry(name));
          try (var bytes = source.getInputStream(entry)) {
            bytes.transferTo(out);
          }
          out.closeEntry();
        }
      }
    }
    return padded;
  }

  private static int jarEntries(Path jar) throws IOException {
    try (var f = new JarFile(jar.toFile())) {
      return f.size();
    }
  }

  private static long medianOf(List<long[]> list, int index) {
    long[] v = list.stream().mapToLong(x -> x[index]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
