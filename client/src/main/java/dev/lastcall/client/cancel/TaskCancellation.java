package dev.lastcall.client.cancel;

import dev.lastcall.Family;
import dev.lastcall.Outcome;
import dev.lastcall.TaskOutcome;
import dev.lastcall.TaskRef;
import dev.lastcall.client.internal.ApiFamilies;
import dev.lastcall.client.internal.CallMarker;
import dev.lastcall.client.internal.JsonBodies;
import dev.lastcall.client.internal.RetryAfter;
import dev.lastcall.client.internal.TaskRequests;
import dev.lastcall.client.proxy.ProxyFailure;
import dev.lastcall.client.tls.TlsFailure;
import dev.lastcall.internal.Nanos;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The state machine that cancels one task inside a {@link BulkCancellation}. One small object per
 * task and at most one HTTP call or one scheduled retry at a time; it is its own OkHttp callback.
 *
 * <p>Tasks of both API families go through the same machine; {@link FamilyRules} says how each
 * family's answers read, and {@link TaskRequests} makes each family's requests. A task whose family
 * has no API key settles FAILED at once, saying which key is missing.
 *
 * <p>The rules, in short: a 200 to the stop is proof. A 400 is not (a {@code pending} task gets it
 * too), so it is followed by a status check: finished settles, not finished waits briefly and stops
 * again. 401 and 404 (for v1 runs 403 too) settle at once. 429, 5xx, I/O failures and malformed
 * status bodies are retried inside the deadline; any other answer is given up on. The deadline
 * settles the rest.
 *
 * <p>Threads: answers arrive on dispatcher threads, retries fire on the scheduler, and the deadline
 * or {@code finish()} may settle from any thread. Settling and sending are guarded by this object's
 * monitor, held only briefly and never across I/O, so {@code finish()} never waits for a body being
 * read.
 */
final class TaskCancellation implements Callback {
  private static final long ONE_SECOND = TimeUnit.SECONDS.toNanos(1);

  /** A request with less time than this is not worth making: it could only time out. */
  private static final long MIN_USEFUL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private static final int MAX_MALFORMED = 3;

  private final BulkCancellation bulk;
  private final String id; // The key: what the report names.
  private final String taskId; // What the family's API calls it.
  private final TaskRequests requests; // Null when the family has no key.
  private final FamilyRules rules;
  private final Family family;
  private final long submittedNanos = System.nanoTime();

  // Guarded by this.
  private boolean settled;
  private TaskOutcome outcome;
  private Call call;
  private Future<?> retry;
  private int attempts;
  private boolean checkingStatus; // What the call in flight asks: status (true) or stop (false).

  // Touched by one thread at a time: the one handling the current answer. Executors and OkHttp's
  // dispatcher order each hand-over, so plain fields are enough.
  private int transientFailures;
  private int polls;
  private int rateLimits;
  private int malformedInARow;

  /**
   * The last answer seen, for the TIMED_OUT detail. Volatile: read by whoever times the task out.
   */
  private volatile String lastAnswer;

  /** The status code of the last HTTP answer, 0 before one; volatile for the same reason. */
  private volatile int lastStatus;

  /** Set before {@link #start()} on the call a first-call gate follows; null on every other. */
  private volatile CallMarker firstCall;

  TaskCancellation(BulkCancellation bulk, String id) {
    this.bulk = bulk;
    this.id = id;
    TaskRef ref = TaskRef.parse(id);
    this.taskId = ref.id();
    this.family = ref.family();
    this.requests = bulk.families.of(family);
    this.rules = FamilyRules.of(family);
  }

  /**
   * Marks this task's requests as the ones {@code FirstCallGate} follows; before {@link #start}.
   */
  void markFirstCall(CallMarker marker) {
    firstCall = marker;
  }

  /** False when this task's family has no API key: it settles FAILED without a request. */
  boolean makesCalls() {
    return requests != null;
  }

  void start() {
    if (requests == null) {
      settle(Outcome.FAILED, ApiFamilies.missingKey(family), false);
    } else if (bulk.remainingNanos() <= 0) {
      settle(Outcome.TIMED_OUT, "deadline reached before submission", false);
    } else {
      send(false);
    }
  }

  synchronized TaskOutcome outcome() {
    return outcome;
  }

  /** Settles TIMED_OUT (unless already settled) and cancels whatever is in flight or scheduled. */
  void timeOut() {
    String last = lastAnswer;
    settle(
        Outcome.TIMED_OUT,
        last == null ? "deadline reached: no answer yet" : "deadline reached: last answer " + last,
        true);
  }

  private void send(boolean status) {
    long remaining = bulk.remainingNanos();
    if (remaining < MIN_USEFUL_NANOS) {
      timeOut();
      return;
    }
    // A slice of what is left: at least a second when there is one, a third when there is more,
    // so a slow answer leaves time for another try. Never beyond the deadline.
    long slice = Math.min(remaining, Math.max(ONE_SECOND, remaining / 3));
    Request request = status ? requests.status(taskId) : requests.stop(taskId);
    Request.Builder tagged =
        request.newBuilder().tag(TimeoutSlices.Slice.class, new TimeoutSlices.Slice(slice));
    CallMarker marker = firstCall;
    if (marker != null) {
      tagged.tag(CallMarker.class, marker);
    }
    request = tagged.build();
    Call next = bulk.http.newCall(request);
    next.timeout().timeout(slice, TimeUnit.NANOSECONDS);
    synchronized (this) {
      if (settled) {
        return;
      }
      attempts++;
      checkingStatus = status;
      call = next;
      retry = null;
    }
    // If the task is settled between here and enqueue, settle() has cancelled this call already;
    // enqueueing a cancelled call just reports a failure that is ignored.
    next.enqueue(this);
  }

  @Override
  public void onFailure(Call failed, IOException e) {
    if (isSettled()) {
      return;
    }
    String tls = TlsFailure.describe(e, failed.request().url());
    if (tls == null) {
      tls = ProxyFailure.describe(e, failed.request().url());
    }
    if (tls != null) {
      // An untrusted, mismatched or expired certificate, plain HTTP, or a proxy refusing us:
      // every retry would fail the same way, so say so now rather than at the deadline.
      settle(Outcome.FAILED, tls, false);
      return;
    }
    lastAnswer = describe(e);
    retryTransient(currentlyCheckingStatus());
  }

  @Override
  public void onResponse(Call answered, Response response) {
    try (response) {
      if (isSettled()) {
        return;
      }
      // OkHttp allows any three digits; one below 100 is no status a report can name.
      lastStatus = response.code() >= 100 ? response.code() : 0;
      if (currentlyCheckingStatus()) {
        onStatusAnswer(response);
      } else {
        onStopAnswer(response);
      }
    } catch (IOException e) {
      // The body failed mid-read: a transport failure like any other.
      onFailure(answered, e);
    } catch (RuntimeException e) {
      // A bug must not escape to OkHttp, which would print it from a shutdown hook.
      settle(Outcome.FAILED, "gave up: internal error " + e.getClass().getSimpleName(), false);
    }
  }

  private void onStopAnswer(Response response) throws IOException {
    int code = response.code();
    if (code >= 200 && code < 300) {
      try {
        String status = rules.stopAnswerStatus(JsonBodies.read(response.body()));
        if (rules.stoppedStatus().equals(status)) {
          settle(Outcome.STOPPED, status, false);
          return;
        }
        lastAnswer = "HTTP " + code + " with task status " + status;
      } catch (JsonBodies.Malformed e) {
        lastAnswer = "HTTP " + code + " " + e.getMessage();
      }
      // A success we cannot read is not proof: ask for the status instead of trusting it.
      transientFailures = 0;
      send(true);
      return;
    }
    String answer = answer(response);
    if (code == 400) {
      // "Can only be stopped when in progress": finished, or not started yet (a pending cloud task,
      // a queued v1 run). Only status tells.
      lastAnswer = answer;
      transientFailures = 0;
      send(true);
    } else {
      onOtherAnswer(response, answer, false);
    }
  }

  private void onStatusAnswer(Response response) throws IOException {
    int code = response.code();
    if (code < 200 || code >= 300) {
      onOtherAnswer(response, answer(response), true);
      return;
    }
    FamilyRules.Reading status;
    try {
      status = rules.status(JsonBodies.read(response.body()), taskId);
    } catch (JsonBodies.Malformed e) {
      lastAnswer = "HTTP " + code + " " + e.getMessage();
      if (++malformedInARow >= MAX_MALFORMED) {
        settle(
            Outcome.FAILED,
            "gave up: " + MAX_MALFORMED + " malformed status answers, last " + lastAnswer,
            false);
      } else {
        retryTransient(true);
      }
      return;
    }
    malformedInARow = 0;
    transientFailures = 0;
    if (status.finished()) {
      Outcome outcome =
          rules.stoppedStatus().equals(status.status()) ? Outcome.STOPPED : Outcome.ALREADY_DONE;
      settle(outcome, "status " + status.status(), false);
    } else {
      // pending, processing, saving, queued, running or unknown: not finished, so stop again
      // shortly.
      lastAnswer = "status " + status.status();
      schedule(false, Backoff.POLL.delayNanos(polls++));
    }
  }

  /** Answers that mean the same for stop and status requests. */
  private void onOtherAnswer(Response response, String answer, boolean status) {
    int code = response.code();
    if (code == 401) {
      settle(Outcome.UNAUTHORIZED, answer, false);
    } else if (rules.isNotFound(code)) {
      settle(Outcome.NOT_FOUND, answer, false);
    } else if (code == 429) {
      lastAnswer = answer;
      Duration retryAfter = RetryAfter.parse(response.header("Retry-After"), Instant.now());
      if (retryAfter == null) {
        schedule(status, Backoff.RATE_LIMITED.delayNanos(rateLimits++));
        return;
      }
      long wait =
          retryAfter.compareTo(Duration.ofDays(1)) > 0 ? Long.MAX_VALUE : retryAfter.toNanos();
      if (wait >= bulk.remainingNanos()) {
        // Asking again sooner would be rude and probably refused; waiting would pass the deadline.
        settle(
            Outcome.TIMED_OUT,
            "deadline reached: server asked to retry after "
                + retryAfter.getSeconds()
                + " s, past the deadline ("
                + answer
                + ")",
            false);
        return;
      }
      scheduleExactly(status, wait);
    } else if (code >= 500) {
      lastAnswer = answer;
      retryTransient(status);
    } else {
      // 402, 403, 409, 422, a 400 to a status check, a redirect: retrying cannot change it.
      settle(Outcome.FAILED, "gave up: " + answer, false);
    }
  }

  private void retryTransient(boolean status) {
    schedule(status, Backoff.TRANSIENT.delayNanos(transientFailures++));
  }

  /** Schedules the next request after about {@code delayNanos}, shortened to fit the deadline. */
  private void schedule(boolean status, long delayNanos) {
    long latest =
        bulk.remainingNanos() - MIN_USEFUL_NANOS; // The last moment a request is worth it.
    if (latest <= 0) {
      timeOut();
      return;
    }
    // One more try inside the deadline beats none: if the backoff is longer, wait half of what is
    // left.
    scheduleExactly(status, delayNanos < latest ? delayNanos : latest / 2);
  }

  private void scheduleExactly(boolean status, long delayNanos) {
    Future<?> next;
    try {
      next = bulk.scheduler.schedule(() -> send(status), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      settle(Outcome.FAILED, "gave up: client closed", false);
      return;
    }
    synchronized (this) {
      if (!settled) {
        retry = next;
        return;
      }
    }
    next.cancel(false);
  }

  /**
   * Records the outcome once; later calls do nothing. {@code cancelInFlight} is set when giving up
   * from outside (deadline, finish): then the call still running is cancelled. An answer handler
   * leaves its own call alone, so the connection goes back to the pool.
   */
  private void settle(Outcome result, String detail, boolean cancelInFlight) {
    Call inFlight;
    Future<?> scheduled;
    synchronized (this) {
      if (settled) {
        return;
      }
      settled = true;
      Duration elapsed = Nanos.since(submittedNanos);
      outcome =
          new TaskOutcome(id, result, attempts, elapsed, bulk.families.safe(detail), lastStatus);
      inFlight = call;
      scheduled = retry;
      call = null;
      retry = null;
    }
    if (cancelInFlight && inFlight != null) {
      inFlight.cancel();
    }
    if (scheduled != null) {
      scheduled.cancel(false);
    }
    bulk.onSettled();
  }

  private synchronized boolean isSettled() {
    return settled;
  }

  private synchronized boolean currentlyCheckingStatus() {
    return checkingStatus;
  }

  /** "HTTP 404 Task not found": the code plus the server's own error text, made safe. */
  private String answer(Response response) {
    String error = bulk.families.safe(JsonBodies.errorText(response.body()));
    return error == null || error.isBlank()
        ? "HTTP " + response.code()
        : "HTTP " + response.code() + " " + error;
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message == null
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }
}
