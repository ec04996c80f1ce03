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

/**
 * The side-by-side shutdown benchmark and the agent attach cost, run by {@code benchmarks/run.sh}.
 * Every figure is measured by this process, the parent: from just before the signal is sent ({@link
 * Process#destroy()} is SIGTERM) to the moment the child is seen to have exited.
 *
 * <pre>
 * ShutdownBench shutdown JARS --out FILE [--raw FILE.csv] [--reps 5] [--big-reps 3]
 *               [--sizes 1,100,1000,10000] [--latencies 0,50] [--settle-ms 700]
 * ShutdownBench attach JARS --out FILE [--runs 20]
 *
 * JARS: --agent-jar lastcall-agent.jar --emulator-jar lastcall-emulator.jar
 *       --empty-agent-jar *-empty-agent.jar --app-classpath BENCH_CLASSES:API_CLASSES
 *       [--node-script cancel-on-sigterm.mjs]
 * </pre>
 *
 * Every input is named on the command line (benchmarks/run.sh finds them relative to itself), so
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
  private static Path emulatorJar;
  private static Path classes;

  /** The Node contender's script (the shutdown run only). */
  private static Path nodeScript;

  private static void privateCopies(Map<String, String> opts) throws IOException {
    Path dir = Files.createTempDirectory("lastcall-bench-bin");
    agentJar = Files.copy(input(opts, "--agent-jar"), dir.resolve("lastcall-agent.jar"));
    emulatorJar = Files.copy(input(opts, "--emulator-jar"), dir.resolve("lastcall-emulator.jar"));
    emptyAgentJar = Files.copy(input(opts, "--empty-agent-jar"), dir.resolve("empty-agent.jar"));
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

  /** A way of cancelling at shutdown. */
  enum Contender {
    LASTCALL("Lastcall agent"),
    NODE("Node fetch + allSettled"),
    SEQUENTIAL("Java hook, sequential HttpURLConnection"),
    ASYNC("Java hook, HttpClient.sendAsync"),
    FLOOR("floor: same JVM, no tasks, no agent"),
    LASTCALL_COLD("Lastcall, signalled right after READY"),
    LASTCALL_1024("Lastcall, concurrency=1024");

    final String title;

    Contender(String title) {
      this.title = title;
    }
  }

  /**
   * One shutdown: wall ms from signal to exit, CPU ms spent in that time, tasks left, its stderr
   * summary.
   */
  record Run(long ms, int running, int stopped, String note, long prepMs, long cpuMs) {}

  private static String shutdown(Map<String, String> opts) throws Exception {
    nodeScript = input(opts, "--node-script");
    int reps = Integer.parseInt(opts.getOrDefault("--reps", "5"));
    int bigReps = Integer.parseInt(opts.getOrDefault("--big-reps", "3"));
    long settleMs = Long.parseLong(opts.getOrDefault("--settle-ms", "700"));
    int[] sizes =
        Arrays.stream(opts.getOrDefault("--sizes", "1,100,1000,10000").split(","))
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
    EmulatorControl emu = EmulatorControl.start(work, emulatorFlags);
    StringBuilder md = new StringBuilder();
    StringBuilder raw =
        new StringBuilder("n,latencyMs,rep,contender,ms,cpuMs,prepMs,leftRunning,stopped,note\n");
    try {
      Map<Integer, Long> physical = new LinkedHashMap<>();
      for (int latency : latencies) {
        emu.latency(latency);
        physical.put(latency, emu.oneRequestMs());
      }
      md.append("| tasks | added latency | one request (physical limit) | ");
      List<Contender> columns =
          List.of(
              Contender.LASTCALL,
              Contender.NODE,
              Contender.SEQUENTIAL,
              Contender.ASYNC,
              Contender.FLOOR);
      for (Contender c : columns) {
        md.append(c.title).append(" | ");
      }
      md.setLength(md.length() - 1);
      md.append("\n|---|---|---|");
      md.append("---|".repeat(columns.size())).append('\n');
      List<String> extra = new ArrayList<>();
      List<Long> prepMs = new ArrayList<>();
      for (int n : sizes) {
        for (int latency : latencies) {
          List<Contender> contenders =
              new ArrayList<>(
                  List.of(
                      Contender.LASTCALL, Contender.NODE, Contender.SEQUENTIAL, Contender.ASYNC));
          if (n == sizes[0]) {
            contenders.add(Contender.FLOOR); // does not depend on n: measured once per latency
          }
          if (n == 1000 && latency == 50) {
            contenders.add(Contender.LASTCALL_COLD);
          }
          if (n >= 1000) {
            contenders.add(Contender.LASTCALL_1024);
          }
          Map<Contender, List<Run>> runs = new LinkedHashMap<>();
          int r = n >= 10_000 ? bigReps : reps;
          for (int rep = 0; rep < r; rep++) {
            for (int k = 0; k < contenders.size(); k++) {
              Contender c = contenders.get((k + rep) % contenders.size()); // rotate the order
              Run run =
                  once(
                      emu,
                      work,
                      c,
                      c == Contender.FLOOR ? 0 : n,
                      latency,
                      c == Contender.LASTCALL_COLD ? 0 : settleMs);
              runs.computeIfAbsent(c, x -> new ArrayList<>()).add(run);
              raw.append(n)
                  .append(',')
                  .append(latency)
                  .append(',')
                  .append(rep)
                  .append(',')
                  .append(c.name())
                  .append(',')
                  .append(run.ms)
                  .append(',')
                  .append(run.cpuMs)
                  .append(',')
                  .append(run.prepMs)
                  .append(',')
                  .append(run.running)
                  .append(',')
                  .append(run.stopped)
                  .append(",\"")
                  .append(run.note.replace('"', '\''))
                  .append("\"\n");
              System.err.printf(
                  "  n=%-5d latency=%-3d rep=%d %-14s %6d ms (cpu %d ms), left running %d  %s%n",
                  n, latency, rep, c.name(), run.ms, run.cpuMs, run.running, run.note);
            }
          }
          long lastcall = median(runs.get(Contender.LASTCALL));
          md.append("| ")
              .append(String.format(Locale.ROOT, "%,d", n))
              .append(" | ")
              .append(latency)
              .append(" ms | ")
              .append(physical.get(latency))
              .append(" ms | ");
          for (Contender c : columns) {
            List<Run> list = runs.get(c);
            if (list == null) {
              md.append(c == Contender.FLOOR ? "(see first rows) | " : "| ");
              continue;
            }
            md.append(cell(list, lastcall, c == Contender.LASTCALL)).append(" | ");
          }
          md.setLength(md.length() - 1);
          md.append('\n');
          for (Contender c : List.of(Contender.LASTCALL_COLD, Contender.LASTCALL_1024)) {
            if (runs.containsKey(c)) {
              extra.add(
                  String.format(
                      Locale.ROOT,
                      "%s, %,d tasks at %d ms: %s",
                      c.title,
                      n,
                      latency,
                      cell(runs.get(c), lastcall, false)));
            }
          }
          prepMs.addAll(runs.get(Contender.LASTCALL).stream().map(Run::prepMs).toList());
        }
      }
      md.append('\n')
          .append(
              "Each cell: median signal-to-exit ms [min–max] (× Lastcall's median; median CPU ms"
                  + " the process used from the signal to its exit; tasks left running, summed over"
                  + " all runs / tasks in all runs). Runs per cell: ")
          .append(reps)
          .append(" (")
          .append(bigReps)
          .append(" for 10,000 tasks); settle after READY: ")
          .append(settleMs)
          .append(" ms.\n");
      md.append(
              "Lastcall runs are signalled once the agent's preparation thread has ended (steady"
                  + " state); its preparation took a median of ")
          .append(prepMs.stream().sorted().skip(prepMs.size() / 2).findFirst().orElse(0L))
          .append(" ms after READY [")
          .append(prepMs.stream().min(Long::compare).orElse(0L))
          .append("–")
          .append(prepMs.stream().max(Long::compare).orElse(0L))
          .append("].\n\nOther rows:\n");
      for (String line : extra) {
        md.append("\n- ").append(line).append('\n');
      }
    } finally {
      emu.quit();
      Files.writeString(raw(opts), raw, StandardCharsets.UTF_8);
    }
    return md.toString();
  }

  private static String cell(List<Run> list, long lastcallMedian, boolean isLastcall) {
    long median = median(list);
    long min = list.stream().mapToLong(Run::ms).min().orElse(0);
    long max = list.stream().mapToLong(Run::ms).max().orElse(0);
    int left = list.stream().mapToInt(Run::running).sum();
    int total = list.stream().mapToInt(x -> x.running + x.stopped).sum();
    String ratio =
        isLastcall
            ? "1.00×"
            : String.format(Locale.ROOT, "%.2f×", median / (double) Math.max(1, lastcallMedian));
    long[] cpu = list.stream().mapToLong(Run::cpuMs).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "**%d** [%d–%d] (%s; cpu %d; left %d/%d)",
        median,
        min,
        max,
        ratio,
        cpu[cpu.length / 2],
        left,
        total);
  }

  private static long median(List<Run> runs) {
    long[] ms = runs.stream().mapToLong(Run::ms).sorted().toArray();
    return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
  }

  private static Run once(
      EmulatorControl emu, Path work, Contender c, int n, int latency, long settleMs)
      throws Exception {
    Path ids = work.resolve("ids-" + System.nanoTime() + ".txt");
    emu.latency(0);
    emu.create(n, ids);
    emu.latency(latency);
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
      case NODE -> command.addAll(List.of(node(), nodeScript.toString(), ids.toString()));
    }
    // /usr/bin/time reports the child's CPU time at exit; minus what it had used at the signal,
    // that
    // is the CPU its shutdown cost, a figure that load from elsewhere on the machine hardly moves.
    Path cpuFile = work.resolve("cpu-" + System.nanoTime() + ".txt");
    command.addAll(0, List.of("/usr/bin/time", "-f", "CPU %U %S", "-o", cpuFile.toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("BLACKBOX_API_KEY", EmulatorProcess.KEY);
    pb.environment().put("BLACKBOX_BASE_URL", emu.baseUrl);
    Process p = pb.start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    List<String> err = Collections.synchronizedList(new ArrayList<>());
    drain(
        p.getInputStream(),
        line -> {
          if (line.startsWith("READY")) {
            ready.complete(line);
          }
        });
    Thread errReader = drain(p.getErrorStream(), err::add);
    try {
      ready.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException(c + " never said READY; stderr: " + err, e);
    }
    long child = childPid(p.pid());
    long prepMs = 0;
    if (settleMs > 0) {
      if (c == Contender.LASTCALL || c == Contender.LASTCALL_1024) {
        prepMs = awaitPreparation(child);
      }
      Thread.sleep(settleMs);
    }
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
    return new Run(ms, check[1], check[0], note, prepMs, cpuMs);
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

  /**
   * Waits until the agent's preparation thread ({@code lastcall-prepare}, which builds the client
   * and warms it up) has ended, seen through Linux's thread names; returns how long that took.
   */
  private static long awaitPreparation(long pid) throws InterruptedException {
    long t0 = System.nanoTime();
    Path tasks = Path.of("/proc/" + pid + "/task");
    while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60)) {
      boolean preparing = false;
      try (var threads = Files.list(tasks)) {
        for (Path t : (Iterable<Path>) threads::iterator) {
          try {
            if (Files.readString(t.resolve("comm")).startsWith("lastcall-prepar")) {
              preparing = true;
              break;
            }
          } catch (IOException gone) {
            // the thread ended while we looked
          }
        }
      } catch (IOException noProc) {
        return -1; // not Linux, or the process is gone: nothing to wait for
      }
      if (!preparing) {
        break;
      }
      Thread.sleep(20);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
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

    private EmulatorControl(Process process) throws IOException {
      this.process = process;
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      String first = out.readLine();
      if (first == null || !first.startsWith("URL ")) {
        throw new IllegalStateException("emulator did not start: " + first);
      }
      this.baseUrl = first.substring(4);
    }

    static EmulatorControl start(Path work, String jvmFlags) throws IOException {
      String cp = emulatorJar + File.pathSeparator + classes;
      List<String> command = new ArrayList<>(List.of(javaCmd, "-Xmx2g"));
      if (!jvmFlags.isBlank()) {
        command.addAll(List.of(jvmFlags.trim().split("\\s+")));
      }
      command.addAll(List.of("-cp", cp, EmulatorProcess.class.getName()));
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.redirectError(work.resolve("emulator.err").toFile());
      return new EmulatorControl(pb.start());
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
      String[] words = ask("check " + file).split("\\s+");
      int[] counts = new int[3];
      for (int i = 0; i < 3; i++) {
        counts[i] = Integer.parseInt(words[i + 1].substring(words[i + 1].indexOf('=') + 1));
      }
      return counts;
    }

    /** Median of 7 single requests, each on a new connection: the least any cancel can take. */
    long oneRequestMs() throws IOException {
      Path one = Files.createTempFile("lastcall-one", ".txt");
      create(1, one);
      String id = Files.readAllLines(one).get(0);
      long[] ms = new long[7];
      for (int i = 0; i < ms.length; i++) {
        long t0 = System.nanoTime();
        HttpURLConnection http =
            (HttpURLConnection) new URL(baseUrl + "/api/tasks/" + id + "/status").openConnection();
        http.setRequestProperty("Authorization", "Bearer " + EmulatorProcess.KEY);
        http.setRequestProperty("Connection", "close");
        try (InputStream body = http.getInputStream()) {
          body.readAllBytes();
        }
        http.disconnect();
        ms[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
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
    variants.put("Lastcall agent", List.of("-javaagent:" + agent));
    Map<String, List<long[]>> results = new LinkedHashMap<>();
    // One warm-up round of each (file cache), not counted.
    for (int round = -1; round < runs; round++) {
      List<String> names = new ArrayList<>(variants.keySet());
      for (int i = 0; i < names.size(); i++) {
        String name = names.get((i + Math.max(round, 0)) % names.size());
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "TIME %e %M", javaCmd));
        cmd.addAll(variants.get(name));
        cmd.addAll(List.of("-cp", cp, Hello.class.getName()));
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
                + " (%d entries); empty agent jar: %,d bytes.%n",
            runs,
            Files.size(agent),
            jarEntries(agent),
            Files.size(empty)));
    return md.toString();
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
