package dev.lastcall.client;

import dev.lastcall.CancelReport;
import dev.lastcall.TaskOutcome;
import dev.lastcall.client.cancel.BulkCancel;
import dev.lastcall.client.cancel.BulkCancellation;
import dev.lastcall.client.internal.ApiBodies;
import dev.lastcall.client.internal.ConnectionEvents;
import dev.lastcall.client.internal.TaskRequests;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Runs a bulk cancel end to end against canned answers, through the real OkHttp dispatcher,
 * interceptor chain, executor and scheduler, so every class and branch-heavy path the shutdown hook
 * needs is loaded before it runs. Nothing leaves the JVM.
 */
final class WarmUp {
  private static final MediaType JSON = MediaType.get("application/json");

  private static final String UNREACHABLE = "warm-up-unreachable";

  /** Per task id, the answers in order: {code, body, Retry-After or null}. */
  private static final Map<String, List<String[]>> SCRIPT =
      Map.of(
          "warm-up-stopped",
          List.<String[]>of(answer(200, ApiBodies.stopped("warm-up-stopped"))),
          "warm-up-pending",
          List.<String[]>of(
              answer(400, ApiBodies.error("Task can only be stopped when it is in progress")),
              answer(200, ApiBodies.status("warm-up-pending", "pending", false)),
              answer(200, ApiBodies.stopped("warm-up-pending"))),
          "warm-up-busy",
          List.<String[]>of(
              new String[] {"429", ApiBodies.error("Rate limit exceeded"), "0"},
              answer(500, ApiBodies.error("Failed to stop task")),
              answer(200, "not json"),
              answer(200, ApiBodies.status("warm-up-busy", "completed", true))),
          "warm-up-missing",
          List.<String[]>of(answer(404, ApiBodies.error("Task not found"))),
          "warm-up-refused",
          List.<String[]>of(answer(403, ApiBodies.error("Forbidden"))),
          // Never answers: I/O failures, retries, then the deadline timer. Run on its own, briefly.
          UNREACHABLE,
          List.<String[]>of(new String[] {"IO", null, null}));

  private WarmUp() {}

  static void run(
      OkHttpClient bulkHttp,
      TaskRequests requests,
      ScheduledExecutorService scheduler,
      ConnectionEvents events) {
    Map<String, AtomicInteger> progress = new ConcurrentHashMap<>();
    Interceptor canned =
        chain -> {
          Request request = chain.request();
          List<String> segments = request.url().pathSegments();
          String id =
              segments.get(segments.size() - 1).equals("status")
                  ? segments.get(segments.size() - 2)
                  : segments.get(segments.size() - 1);
          List<String[]> answers = SCRIPT.get(id);
          String[] answer =
              answers.get(
                  Math.min(
                      progress.computeIfAbsent(id, k -> new AtomicInteger()).getAndIncrement(),
                      answers.size() - 1));
          if (answer[0].equals("IO")) {
            throw new IOException("warm-up: no network");
          }
          Response.Builder response =
              new Response.Builder()
                  .request(request)
                  .protocol(Protocol.HTTP_1_1)
                  .code(Integer.parseInt(answer[0]))
                  .message("warm-up")
                  .body(ResponseBody.create(answer[1], JSON));
          if (answer[2] != null) {
            response.header("Retry-After", answer[2]);
          }
          return response.build();
        };
    // No events: canned calls acquire no connection, and the client's listener follows real ones.
    // Offline: no call waits for a connection that no call will make.
    OkHttpClient offline =
        bulkHttp.newBuilder().addInterceptor(canned).eventListener(EventListener.NONE).build();
    BulkCancel answered =
        BulkCancellation.offline(offline, requests, scheduler, events, Duration.ofSeconds(5));
    for (String id : SCRIPT.keySet()) {
      if (!id.equals(UNREACHABLE)) {
        answered.submit(id);
      }
    }
    answered.awaitSettled();
    summarise(answered.finish());
    // Let the deadline timer, not finish(), settle this one: that is its own path.
    BulkCancel unanswered =
        BulkCancellation.offline(offline, requests, scheduler, events, Duration.ofMillis(250));
    unanswered.submit(UNREACHABLE);
    unanswered.awaitSettled();
    summarise(unanswered.finish());
  }

  private static void summarise(CancelReport report) {
    report.toString();
    report.allConfirmed();
    for (TaskOutcome task : report.tasks()) {
      task.toString();
    }
  }

  /**
   * Loads OkHttp's connection and protocol classes, which only a real exchange would load. Names
   * that a later OkHttp no longer has are skipped.
   */
  static void loadConnectionClasses() {
    String[] names = {
      "okhttp3.internal.connection.RealConnection",
      "okhttp3.internal.connection.ConnectPlan",
      "okhttp3.internal.connection.Exchange",
      "okhttp3.internal.http.CallServerInterceptor",
      "okhttp3.internal.http.RealResponseBody",
      "okhttp3.internal.http.StatusLine",
      "okhttp3.internal.http1.HeadersReader",
      "okhttp3.internal.http1.Http1ExchangeCodec",
      "okhttp3.internal.http2.Http2",
      "okhttp3.internal.http2.Http2Connection",
      "okhttp3.internal.http2.Http2ExchangeCodec",
      "okhttp3.internal.http2.Http2Reader",
      "okhttp3.internal.http2.Http2Writer",
      "okhttp3.internal.http2.Http2Stream",
      "okhttp3.internal.http2.Hpack",
      "okhttp3.internal.http2.Huffman",
      "okhttp3.internal.http2.Settings",
      "okhttp3.internal.http2.ErrorCode",
      "okhttp3.internal.http2.StreamResetException",
      "okhttp3.internal.tls.OkHostnameVerifier",
      "okhttp3.internal.tls.BasicCertificateChainCleaner",
      "okhttp3.internal.tls.BasicTrustRootIndex",
    };
    ClassLoader loader = OkHttpClient.class.getClassLoader();
    for (String name : names) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError skipped) {
        // Another OkHttp version: its own classes load on first use instead.
      }
    }
  }

  private static String[] answer(int code, String body) {
    return new String[] {Integer.toString(code), body, null};
  }
}
