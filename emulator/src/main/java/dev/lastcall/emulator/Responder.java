package dev.lastcall.emulator;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends answers now, later or never. A delayed answer is parked and completed from a scheduler, so
 * injected latency never holds a handler thread: ten thousand requests delayed by 50 ms cost ten
 * thousand small map entries, not ten thousand threads. A hung request is parked with no schedule
 * and released (its connection closed) by {@link #closeAll()}.
 */
final class Responder {
  private final ScheduledExecutorService scheduler;
  private final Executor workers;

  /** Exchanges accepted but not answered yet; whoever removes one owns it. */
  private final Set<Exchange> parked = ConcurrentHashMap.newKeySet();

  private volatile boolean closed;

  Responder(ScheduledExecutorService scheduler, Executor workers) {
    this.scheduler = scheduler;
    this.workers = workers;
  }

  /** Computes the answer after {@code delay}, so it reflects the state at the time it is sent. */
  void later(Exchange exchange, Duration delay, Supplier<HttpAnswer> answer) {
    if (delay.isZero()) {
      exchange.send(compute(answer));
      return;
    }
    park(exchange);
    try {
      // The scheduler thread only hands over: writing to a slow client must not delay other timers.
      scheduler.schedule(
          () ->
              workers.execute(
                  () -> {
                    if (parked.remove(exchange)) {
                      exchange.send(compute(answer));
                    }
                  }),
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      release(exchange);
    }
  }

  /** Accepts the request and never answers it; {@link #closeAll()} closes its connection. */
  void hang(Exchange exchange) {
    park(exchange);
  }

  int parkedCount() {
    return parked.size();
  }

  /** Closes the connection of every exchange still waiting: its client sees the server go away. */
  void closeAll() {
    closed = true;
    for (Exchange exchange : parked) {
      release(exchange);
    }
  }

  private void park(Exchange exchange) {
    parked.add(exchange);
    if (closed) {
      release(exchange); // closeAll() may have run between the caller's check and add()
    }
  }

  private void release(Exchange exchange) {
    if (parked.remove(exchange)) {
      exchange.abort();
    }
  }

  static HttpAnswer compute(Supplier<HttpAnswer> answer) {
    try {
      return answer.get();
    } catch (BadRequest e) {
      return HttpAnswer.error(400, e.getMessage());
    } catch (RuntimeException e) {
      return HttpAnswer.error(500, "Internal server error");
    }
  }
}
