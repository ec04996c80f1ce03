package dev.lastcall.bench.jmh;

import dev.lastcall.bench.LoopbackApi;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What tracking adds to an application's own call to the API ({@link LoopbackApi#createThenDone}: a
 * create, which tracking registers, then a status read answered done, which deregisters it),
 * through the application's client, on loopback. {@code benchmarks/run.sh} runs it with the agent's
 * {@code track=auto} and with {@code track=off}; inside each run, {@code origin} compares within
 * one JVM: {@code api} calls the agent's {@code baseUrl} ({@code 127.0.0.1}: teed, read,
 * registered), {@code other} the same server as {@code localhost} (another origin: the instrumented
 * code runs, nothing is teed). The server's port comes from {@code -Dbench.port}, the port {@code
 * baseUrl} names. Averages here swing with the machine; {@code TrackedCallLatency} gives the
 * medians.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class TrackedCallBenchmark {
  /** The application's HTTP client. */
  @Param({"jdk-http-client", "url-connection"})
  public String client;

  /** {@code api}: the agent's baseUrl (tracked); {@code other}: the same server, not tracked. */
  @Param({"api", "other"})
  public String origin;

  private LoopbackApi api;
  private String host;

  @Setup(Level.Trial)
  public void start() throws IOException {
    api = new LoopbackApi(Integer.getInteger("bench.port", 0));
    host = origin.equals("api") ? "127.0.0.1" : "localhost";
  }

  @TearDown(Level.Trial)
  public void stop() {
    api.close();
  }

  /** One task's life as the application sees it: created, then polled until done. */
  @Benchmark
  public int createThenDone() throws Exception {
    return api.createThenDone(client, host);
  }
}
