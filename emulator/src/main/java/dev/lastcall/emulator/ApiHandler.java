package dev.lastcall.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Serves {@code /api/...}: decides faults when a request arrives, then answers (after the injected
 * latency) as the family the path names documents: {@code /api/v1/...} the v1 Agent API ({@link
 * AgentRuns}), everything else the cloud Tasks API ({@link CloudTasks}). Every step is a hash
 * lookup or a constant amount of work, except listing.
 */
final class ApiHandler {
  /** The largest body read; a larger one is answered 400 "Request body too large". */
  static final int MAX_BODY_BYTES = 1 << 20;

  private static final Duration DEFAULT_RATE_LIMIT_WINDOW = Duration.ofSeconds(60);

  private static final String V1 = "/api/v1";

  private final CloudTasks tasks;
  private final AgentRuns runs;
  private final Supplier<Instant> clock;
  private final Supplier<Faults> faults;
  private final Random random;
  private final Responder responder;
  private final LongAdder requests = new LongAdder();

  ApiHandler(
      CloudTasks tasks,
      AgentRuns runs,
      Supplier<Instant> clock,
      Supplier<Faults> faults,
      Random random,
      Responder responder) {
    this.tasks = tasks;
    this.runs = runs;
    this.clock = clock;
    this.faults = faults;
    this.random = random;
    this.responder = responder;
  }

  long requestCount() {
    return requests.sum();
  }

  void handle(Exchange exchange) {
    requests.increment();
    String method = exchange.method();
    String path = exchange.rawPath();
    ApiFamily family = path.equals(V1) || path.startsWith(V1 + "/") ? runs : tasks;
    byte[] body = exchange.body();
    Faults f = faults.get();

    boolean isStopCall = family.isCancelCall(method, path);
    // Counted whatever the answer turns out to be.
    long ordinal =
        isStopCall ? family.cancelTarget(path).map(TaskRecord::countStopCall).orElse(0L) : 0;
    if (chance(f.hangRate())) {
      responder.hang(exchange);
      return;
    }
    HttpAnswer fault = null;
    if (ordinal > 0 && ordinal <= f.rateLimitFirst()) {
      fault = rateLimited(f);
    } else if (ordinal > 0 && ordinal <= (long) f.rateLimitFirst() + f.failFirst()) {
      fault = serverError(family.cancelFailure());
    } else if (chance(f.rateLimitRate())) {
      fault = rateLimited(f);
    } else if (chance(f.errorRate())) {
      fault = serverError(isStopCall ? family.cancelFailure() : "Internal server error");
    }
    if (fault != null) {
      HttpAnswer answer = fault;
      responder.later(exchange, f.latency(), () -> answer);
      return;
    }
    String authorization = exchange.header("Authorization");
    String query = exchange.rawQuery();
    responder.later(
        exchange, f.latency(), () -> family.answer(method, path, authorization, query, body));
  }

  private HttpAnswer rateLimited(Faults f) {
    Duration window = f.retryAfter() != null ? f.retryAfter() : DEFAULT_RATE_LIMIT_WINDOW;
    ObjectNode body =
        HttpAnswer.JSON
            .createObjectNode()
            .put("error", "Rate limit exceeded")
            .put("message", "Too many requests")
            .put("remaining", 0)
            .put("total", 100)
            .put("resetAt", TaskJson.iso(clock.get().plus(window)));
    if (f.retryAfter() == null) {
      return HttpAnswer.json(429, body); // upstream sends no Retry-After
    }
    long seconds = (f.retryAfter().toMillis() + 999) / 1000; // whole seconds, rounded up
    return HttpAnswer.json(429, body, Map.of("Retry-After", Long.toString(seconds)));
  }

  private static HttpAnswer serverError(String message) {
    return HttpAnswer.error(500, message);
  }

  /**
   * Draws only when the rate is set, so a seeded run's sequence depends only on the faults in use.
   */
  private boolean chance(double rate) {
    return rate > 0 && (rate >= 1 || random.nextDouble() < rate);
  }
}
