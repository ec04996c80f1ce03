package dev.lastcall.bench;

import dev.lastcall.client.TasksClient;
import dev.lastcall.client.tls.CaCertificates;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How much of a shutdown's cost at 10 to 50 tasks is the JVM running cold code: in a fresh JVM, a
 * client warmed up and holding one connection (as the agent's is at a signal: {@code warmUp()} then
 * one status request) sends bursts of 50 concurrent requests over that connection, one burst after
 * another, and the time of each burst is printed. The first burst runs the TLS record layer, the
 * HTTP/2 framing and OkHttp's call path in the interpreter, as a shutdown hook does; later bursts
 * run them compiled.
 *
 * <p>The requests are read-only status calls, so every burst does the same work; the emulator runs
 * as its own process ({@link EmulatorProcess}) without latency. Run by {@code benchmarks/run.sh}:
 *
 * <pre>
 * java -cp AGENT_JAR:CLASSES dev.lastcall.bench.WarmingCurve EMULATOR_CLASSPATH plain|https1|h2 BURSTS
 * </pre>
 *
 * Prints {@code BURSTS transport ms,ms,...} (each burst's wall time, in order) and {@code
 * CONNECTIONS n} (the client's open connections at the end: 1 over HTTP/2). One process is one
 * fresh JVM: the script runs it several times and takes medians per burst.
 */
public final class WarmingCurve {
  private static final int BURST = 50;

  private WarmingCurve() {}

  public static void main(String[] args) throws Exception {
    String emulatorClasspath = args[0];
    String transport = args[1];
    int bursts = Integer.parseInt(args[2]);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process emulator =
        new ProcessBuilder(
                java, "-cp", emulatorClasspath, EmulatorProcess.class.getName(), transport)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8));
      Writer in = new OutputStreamWriter(emulator.getOutputStream(), StandardCharsets.UTF_8);
      String line = out.readLine();
      Path ca = null;
      if (line != null && line.startsWith("CA ")) {
        ca = Path.of(line.substring(3));
        line = out.readLine();
      }
      if (line == null || !line.startsWith("URL ")) {
        throw new IllegalStateException("emulator did not start: " + line);
      }
      String baseUrl = line.substring(4);
      Path ids = Files.createTempFile("lastcall-curve", ".txt");
      in.write("create 1 " + ids + "\n");
      in.flush();
      if (!"OK".equals(out.readLine())) {
        throw new IllegalStateException("emulator did not create the task");
      }
      String id = Files.readAllLines(ids).get(0);
      Files.delete(ids);

      TasksClient.Builder builder =
          TasksClient.builder().baseUrl(baseUrl).apiKey(EmulatorProcess.KEY).maxConcurrency(BURST);
      if (ca != null) {
        builder.trustAlso(CaCertificates.read(ca));
      }
      ExecutorService callers = Executors.newFixedThreadPool(BURST);
      try (TasksClient client = builder.build()) {
        client.warmUp(); // as the agent's preparation does: canned calls, no network
        client.status(id); // the warm connection, as the agent's one read-only request opens it
        List<Callable<Object>> burst = new ArrayList<>(BURST);
        for (int i = 0; i < BURST; i++) {
          burst.add(() -> client.status(id));
        }
        StringBuilder row = new StringBuilder();
        for (int b = 1; b <= bursts; b++) {
          long start = System.nanoTime();
          for (Future<Object> done : callers.invokeAll(burst)) {
            done.get();
          }
          long us = (System.nanoTime() - start) / 1_000;
          row.append(b == 1 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", us / 1000.0));
        }
        System.out.println("BURSTS " + transport + " " + row);
        System.out.println("CONNECTIONS " + client.openConnectionCount());
      } finally {
        callers.shutdownNow();
      }
      in.write("quit\n");
      in.flush();
    } finally {
      emulator.destroy();
    }
  }
}
