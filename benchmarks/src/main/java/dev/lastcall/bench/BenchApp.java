package dev.lastcall.bench;

import dev.lastcall.TaskRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application every Java contender runs: it reads task ids from a file (one a line), keeps
 * them, prints {@code READY n} and waits for a signal. What happens at shutdown is the contender:
 *
 * <ul>
 *   <li>{@code lastcall}: the ids are registered with {@link TaskRegistry} (printing {@code FIRST}
 *       once the first is); the Lastcall agent, attached on the command line, does the rest. The
 *       app has no hook of its own.
 *   <li>{@code sequential}: a hand-written shutdown hook that stops one task after another with
 *       {@link HttpURLConnection} (keep-alive, as the JDK does by default) until done or out of
 *       budget.
 *   <li>{@code async}: a hand-written shutdown hook that sends every stop at once with {@link
 *       HttpClient#sendAsync} and waits for all of them, at most the budget. The client is made
 *       before READY, as a careful author would, so the hook does not pay for building it.
 *   <li>{@code none}: no hook (the floor: give it no ids).
 * </ul>
 *
 * <pre>
 * BenchApp --mode lastcall|sequential|async|none --ids FILE [--base-url URL] [--budget-ms 10000]
 * </pre>
 *
 * The key comes from {@code BLACKBOX_API_KEY}. The hooks print one line on stderr, e.g. {@code
 * hook: 1000 sent, 998 stopped (200), 2 failed in 812 ms}.
 */
public final class BenchApp {
  private BenchApp() {}

  public static void main(String[] args) throws Exception {
    String mode = "none";
    Path idsFile = null;
    String baseUrl = null;
    long budgetMs = 10_000;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--mode" -> mode = args[i + 1];
        case "--ids" -> idsFile = Path.of(args[i + 1]);
        case "--base-url" -> baseUrl = args[i + 1];
        case "--budget-ms" -> budgetMs = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    List<String> ids = new ArrayList<>();
    if (idsFile != null) {
      for (String line : Files.readAllLines(idsFile, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          ids.add(line.trim());
        }
      }
    }
    String key = System.getenv("BLACKBOX_API_KEY");
    long budget = budgetMs;
    String base = baseUrl;
    switch (mode) {
      case "lastcall" -> {
        for (int i = 0; i < ids.size(); i++) {
          TaskRegistry.global().register(ids.get(i));
          if (i == 0) {
            // The cold run's clock: its signal follows the first registration by a set time.
            System.out.println("FIRST");
            System.out.flush();
          }
        }
      }
      case "sequential" ->
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(() -> sequential(base, key, ids, budget), "sequential-cancel"));
      case "async" -> {
        HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(budget)).build();
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(() -> async(client, base, key, ids, budget), "async-cancel"));
      }
      case "none" -> {}
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
    System.out.println("READY " + ids.size());
    System.out.flush();
    new CountDownLatch(1).await();
  }

  private static final byte[] STOP = "{\"action\":\"stop\"}".getBytes(StandardCharsets.UTF_8);

  /** One stop after another; gives up when the budget is spent. */
  static void sequential(String base, String key, List<String> ids, long budgetMs) {
    long start = System.nanoTime();
    long end = start + TimeUnit.MILLISECONDS.toNanos(budgetMs);
    int sent = 0;
    int stopped = 0;
    int failed = 0;
    for (String id : ids) {
      long leftMs = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      if (leftMs <= 0) {
        break;
      }
      sent++;
      try {
        HttpURLConnection http =
            (HttpURLConnection) new URL(base + "/api/tasks/" + id).openConnection();
        http.setConnectTimeout((int) leftMs);
        http.setReadTimeout((int) leftMs);
        setPatch(http);
        http.setDoOutput(true);
        http.setRequestProperty("Authorization", "Bearer " + key);
        http.setRequestProperty("Content-Type", "application/json");
        http.setFixedLengthStreamingMode(STOP.length);
        try (OutputStream out = http.getOutputStream()) {
          out.write(STOP);
        }
        int code = http.getResponseCode();
        try (InputStream in = code >= 400 ? http.getErrorStream() : http.getInputStream()) {
          if (in != null) {
            in.readAllBytes(); // drain, so the connection is reused
          }
        }
        if (code == 200) {
          stopped++;
        } else {
          failed++;
        }
      } catch (IOException e) {
        failed++;
      }
    }
    System.err.printf(
        "hook: %d of %d sent, %d stopped (200), %d failed in %d ms%n",
        sent,
        ids.size(),
        stopped,
        failed,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /**
   * HttpURLConnection refuses PATCH in setRequestMethod; the well-known work-around (needs {@code
   * --add-opens java.base/java.net=ALL-UNNAMED}) sets its protected field directly.
   */
  private static void setPatch(HttpURLConnection http) throws IOException {
    try {
      Field method = HttpURLConnection.class.getDeclaredField("method");
      method.setAccessible(true);
      method.set(http, "PATCH");
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IOException("cannot send PATCH with HttpURLConnection: " + e, e);
    }
  }

  /** Every stop at once; waits for all of them, at most the budget. */
  static void async(HttpClient client, String base, String key, List<String> ids, long budgetMs) {
    long start = System.nanoTime();
    AtomicInteger stopped = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<CompletableFuture<?>> all = new ArrayList<>(ids.size());
    for (String id : ids) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/api/tasks/" + id))
              .timeout(Duration.ofMillis(budgetMs))
              .header("Authorization", "Bearer " + key)
              .header("Content-Type", "application/json")
              .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(STOP))
              .build();
      all.add(
          client
              .sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (response, error) -> {
                    if (error == null && response.statusCode() == 200) {
                      stopped.incrementAndGet();
                    } else {
                      failed.incrementAndGet();
                    }
                  }));
    }
    try {
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
          .get(budgetMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // counted below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.err.printf(
        "hook: %d sent, %d stopped (200), %d failed in %d ms%n",
        ids.size(),
        stopped.get(),
        failed.get(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }
}
