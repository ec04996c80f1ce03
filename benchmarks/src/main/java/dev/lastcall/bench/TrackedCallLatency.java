package dev.lastcall.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The per-call cost of tracking as medians, robust to a busy machine: in one JVM under the agent,
 * {@code createThenDone} pairs alternate between the agent's API origin (teed, read, registered and
 * deregistered) and another origin on the same server (the instrumented code runs, nothing is
 * teed), per client, after a warm-up; every op is timed. Run once with {@code track=auto} and once
 * with {@code track=off} (the control: there both origins take the same path).
 *
 * <pre>
 * java -Dsun.net.httpserver.nodelay=true -Dbench.port=P \
 *   -javaagent:lastcall-agent.jar=baseUrl=http://127.0.0.1:P,track=auto -cp ... \
 *   dev.lastcall.bench.TrackedCallLatency [ops per cell, default 20000]
 * </pre>
 *
 * Prints one line per client and origin: {@code LATENCY client origin p50 p90 p99} in µs.
 */
public final class TrackedCallLatency {
  private static final String[] CLIENTS = {"jdk-http-client", "url-connection"};
  private static final String[] HOSTS = {"127.0.0.1", "localhost"};

  private TrackedCallLatency() {}

  public static void main(String[] args) throws Exception {
    int ops = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    try (LoopbackApi api = new LoopbackApi(Integer.getInteger("bench.port", 0))) {
      long[][][] nanos = new long[CLIENTS.length][HOSTS.length][ops];
      for (int round = 0; round < 2; round++) { // the first round warms up and is thrown away
        for (int i = 0; i < ops; i++) {
          for (int c = 0; c < CLIENTS.length; c++) {
            for (int h = 0; h < HOSTS.length; h++) {
              long t0 = System.nanoTime();
              api.createThenDone(CLIENTS[c], HOSTS[h]);
              nanos[c][h][i] = System.nanoTime() - t0;
            }
          }
        }
      }
      for (int c = 0; c < CLIENTS.length; c++) {
        for (int h = 0; h < HOSTS.length; h++) {
          long[] sorted = nanos[c][h].clone();
          Arrays.sort(sorted);
          System.out.println(
              String.format(
                  Locale.ROOT,
                  "LATENCY %s %s %.1f %.1f %.1f",
                  CLIENTS[c],
                  h == 0 ? "api" : "other",
                  sorted[sorted.length / 2] / 1e3,
                  sorted[sorted.length * 9 / 10] / 1e3,
                  sorted[sorted.length * 99 / 100] / 1e3));
        }
      }
    }
  }
}
