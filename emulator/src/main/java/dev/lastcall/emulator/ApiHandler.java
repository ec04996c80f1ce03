package dev.lastcall.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Serves {@code /api/...}: decides faults when a request arrives, then answers (after the injected
 * latency) as the Tasks API documents. Every step is a hash lookup or a constant amount of work,
 * except listing.
 */
final class ApiHandler {
  /** The largest body read; a larger one is answered 400 "Request body too large". */
  static final int MAX_BODY_BYTES = 1 << 20;

  private static final Duration DEFAULT_RATE_LIMIT_WINDOW = Duration.ofSeconds(60);

  private final TaskStore store;
  private final ApiKeys keys;
  private final Supplier<Faults> faults;
  private final Random random;
  private final Responder responder;
  private final LongAdder requests = new LongAdder();

  ApiHandler(
      TaskStore store, ApiKeys keys, Supplier<Faults> faults, Random random, Responder responder) {
    this.store = store;
    this.keys = keys;
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
    ApiRoute route = ApiRoute.of(exchange.rawPath());
    byte[] body = exchange.body();
    Faults f = faults.get();

    boolean isStopCall = route.kind() == ApiRoute.Kind.TASK && "PATCH".equals(method);
    long ordinal = 0;
    if (isStopCall) {
      Optional<TaskRecord> target = store.find(route.taskId());
      if (target.isPresent()) {
        ordinal = target.get().countStopCall(); // counted whatever the answer turns out to be
      }
    }
    if (chance(f.hangRate())) {
      responder.hang(exchange);
      return;
    }
    HttpAnswer fault = null;
    if (ordinal > 0 && ordinal <= f.rateLimitFirst()) {
      fault = rateLimited(f);
    } else if (ordinal > 0 && ordinal <= (long) f.rateLimitFirst() + f.failFirst()) {
      fault = serverError(true);
    } else if (chance(f.rateLimitRate())) {
      fault = rateLimited(f);
    } else if (chance(f.errorRate())) {
      fault = serverError(isStopCall);
    }
    if (fault != null) {
      HttpAnswer answer = fault;
      responder.later(exchange, f.latency(), () -> answer);
      return;
    }
    String authorization = exchange.header("Authorization");
    String query = exchange.rawQuery();
    responder.later(exchange, f.latency(), () -> answer(method, route, authorization, query, body));
  }

  /** The documented answer; computed when it is sent, so it reflects the state at that time. */
  private HttpAnswer answer(
      String method, ApiRoute route, String authorization, String query, byte[] body) {
    if (route.kind() == ApiRoute.Kind.NOT_FOUND) {
      return HttpAnswer.notFound();
    }
    boolean allowed;
    switch (route.kind()) {
      case COLLECTION:
        allowed = method.equals("GET") || method.equals("POST");
        break;
      case TASK:
        allowed = method.equals("GET") || method.equals("PATCH");
        break;
      default:
        allowed = method.equals("GET");
    }
    if (!allowed) {
      return HttpAnswer.methodNotAllowed(route.allow());
    }
    Optional<String> user = keys.userForHeader(authorization);
    if (user.isEmpty()) {
      return HttpAnswer.unauthorized();
    }
    String userId = user.get();
    switch (route.kind()) {
      case COLLECTION:
        return method.equals("GET") ? list(userId, query) : create(userId, body);
      case TASK:
        return method.equals("GET")
            ? get(userId, route.taskId())
            : stop(userId, route.taskId(), body);
      default:
        return status(userId, route.taskId());
    }
  }

  private HttpAnswer create(String userId, byte[] body) {
    JsonNode json = parse(body, "Invalid JSON body");
    TaskRecord record = store.create(userId, NewTask.parse(json));
    return HttpAnswer.json(200, TaskJson.wrapped(record, record.stateAt(store.now())));
  }

  private HttpAnswer list(String userId, String query) {
    ListQuery q = ListQuery.parse(query);
    Instant now = store.now();
    var matcher = q.matcher();
    TaskStore.Page page =
        store.page(userId, r -> matcher.test(r.stateAt(now).status()), q.offset(), q.limit());
    return HttpAnswer.json(
        200, TaskJson.list(page.items(), now, page.hasMore(), q.offset(), q.limit()));
  }

  private HttpAnswer get(String userId, String taskId) {
    return store
        .findOwned(taskId, userId)
        .map(r -> HttpAnswer.json(200, TaskJson.wrapped(r, r.stateAt(store.now()))))
        .orElseGet(ApiHandler::taskNotFound);
  }

  private HttpAnswer status(String userId, String taskId) {
    return store
        .findOwned(taskId, userId)
        .map(r -> HttpAnswer.json(200, TaskJson.status(r, r.stateAt(store.now()))))
        .orElseGet(ApiHandler::taskNotFound);
  }

  private HttpAnswer stop(String userId, String taskId, byte[] body) {
    // Upstream checks the action before it looks the task up.
    JsonNode json = parse(body, "Invalid action");
    JsonNode action = json.get("action");
    if (action == null || !action.isTextual() || !action.asText().equals("stop")) {
      return HttpAnswer.error(400, "Invalid action");
    }
    Optional<TaskRecord> found = store.findOwned(taskId, userId);
    if (found.isEmpty()) {
      return taskNotFound();
    }
    TaskRecord record = found.get();
    TaskState stopped = record.stop(store.now());
    if (stopped == null) {
      return HttpAnswer.error(400, "Task can only be stopped when it is in progress");
    }
    return HttpAnswer.json(200, TaskJson.stopped(record, stopped));
  }

  private static HttpAnswer taskNotFound() {
    return HttpAnswer.error(404, "Task not found");
  }

  private static JsonNode parse(byte[] body, String errorMessage) {
    if (body == null) {
      throw new BadRequest("Request body too large");
    }
    try {
      JsonNode json = HttpAnswer.JSON.readTree(body);
      if (json == null || !json.isObject()) {
        throw new BadRequest(errorMessage);
      }
      return json;
    } catch (JsonProcessingException e) {
      throw new BadRequest(errorMessage);
    } catch (IOException e) {
      throw new BadRequest(errorMessage);
    }
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
            .put("resetAt", TaskJson.iso(store.now().plus(window)));
    if (f.retryAfter() == null) {
      return HttpAnswer.json(429, body); // upstream sends no Retry-After
    }
    long seconds = (f.retryAfter().toMillis() + 999) / 1000; // whole seconds, rounded up
    return HttpAnswer.json(429, body, Map.of("Retry-After", Long.toString(seconds)));
  }

  private static HttpAnswer serverError(boolean stopCall) {
    return HttpAnswer.error(500, stopCall ? "Failed to stop task" : "Internal server error");
  }

  /**
   * Draws only when the rate is set, so a seeded run's sequence depends only on the faults in use.
   */
  private boolean chance(double rate) {
    return rate > 0 && (rate >= 1 || random.nextDouble() < rate);
  }
}
