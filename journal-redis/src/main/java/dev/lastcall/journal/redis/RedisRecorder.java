package dev.lastcall.journal.redis;

import dev.lastcall.CancelReport;
import dev.lastcall.TaskOutcome;
import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.journal.CrashJournal;
import dev.lastcall.agent.journal.JournalSweep;
import dev.lastcall.agent.journal.RegistrationQueue;
import dev.lastcall.agent.registry.SharedRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * This JVM's records in the Redis journal: one daemon thread ({@code lastcall-journal}) holds one
 * connection, takes what the {@link RegistrationQueue} holds (registrations wait for it at most
 * {@link RegistrationQueue#RECORD_WAIT_MILLIS}), writes it in one script call per batch, and renews
 * the lease every third of {@code leaseTtl}.
 *
 * <p>When Redis is slow or down: one line, then retries (0.1 s doubling to 1 s) while the queue
 * keeps what was missed; once Redis answers, the lease is checked first. If it expired (Redis was
 * unreachable longer than {@code leaseTtl}, or restarted without its data), a sweeper may have
 * cancelled this JVM's tasks: one line says so, and every task still registered is recorded again
 * under a new lease. A JVM never writes under a lease it no longer holds (the scripts check the
 * token), so nothing it writes can race a sweeper.
 */
final class RedisRecorder implements CrashJournal {
  static final int BATCH = 1000;
  private static final long MAX_BACKOFF_MILLIS = 1000;
  private static final Duration SETTLE_TIMEOUT = Duration.ofMillis(500);

  private final RedisSettings settings;
  private final SharedRegistry registry;
  private final RegistrationQueue queue;
  private final long ttlMillis;
  private final long renewEveryMillis;
  private final Duration callTimeout;

  private volatile boolean closed;
  private Thread thread;
  private Jedis jedis; // the writer thread's
  private volatile Lease lease; // replaced under this, by the writer only
  private long renewAt; // the writer's
  private boolean down; // the writer's: the outage was said

  RedisRecorder(RedisSettings settings, SharedRegistry registry, RegistrationQueue queue) {
    this.settings = settings;
    this.registry = registry;
    this.queue = queue;
    this.ttlMillis = settings.leaseTtl().toMillis();
    this.renewEveryMillis = Math.max(100, ttlMillis / 3);
    // A call may not take longer than the time between renewals, or the lease could lapse.
    this.callTimeout = Duration.ofMillis(Math.min(1000, renewEveryMillis));
  }

  @Override
  public void start() {
    // Called on the thread that opened us, itself a daemon thread: it becomes the writer.
    thread = Thread.currentThread();
    run();
  }

  private void run() {
    long backoff = 100;
    while (!closed) {
      try {
        connect();
        backoff = 100;
        while (!closed) {
          long untilRenewal = renewAt - System.currentTimeMillis();
          if (untilRenewal <= 0) {
            renew();
            continue;
          }
          RegistrationQueue.Batch batch = queue.take(Math.min(untilRenewal, 1000), BATCH);
          if (!batch.isEmpty()) {
            write(batch);
          }
        }
      } catch (JedisException | IllegalStateException e) {
        queue.opened(); // the first attempt failed: registrations wait only the bound from now
        disconnect();
        if (closed) {
          return;
        }
        if (!down) {
          down = true;
          queue.outageSaid();
          AgentLog.line(
              "the Redis journal at "
                  + settings.where()
                  + " does not answer ("
                  + RedisFailure.describe(e)
                  + "); register waits at most "
                  + RegistrationQueue.recordWaitMillis()
                  + " ms for it, and what is registered meanwhile is recorded once it answers");
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException stop) {
          return;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      } catch (InterruptedException stop) {
        return;
      } catch (RuntimeException | Error e) {
        AgentLog.line(
            "the Redis journal at "
                + settings.where()
                + " stopped recording ("
                + e
                + "); tasks registered from now on are not protected against a crash");
        queue.close();
        disconnect();
        return;
      }
    }
    disconnect();
  }

  private void connect() {
    if (jedis != null) {
      return;
    }
    jedis = settings.connect(callTimeout);
    if (lease == null) {
      newLease();
    } else {
      renew(); // after an outage: is the lease still ours?
    }
    if (down) {
      down = false;
      AgentLog.line(
          "the Redis journal at " + settings.where() + " answers again; recording what was missed");
    }
  }

  private void renew() {
    Object renewed =
        jedis.eval(
            LeaseScripts.RENEW,
            List.of(RedisKeys.lease(lease.jvm())),
            List.of(lease.token(), Long.toString(ttlMillis)));
    if (((Long) renewed) == 1L) {
      renewAt = System.currentTimeMillis() + renewEveryMillis;
    } else {
      leaseLost();
    }
  }

  private void write(RegistrationQueue.Batch batch) {
    List<String> adds = new ArrayList<>();
    List<String> removes = new ArrayList<>();
    for (String id : batch.ids()) {
      (registry.isRegistered(id) ? adds : removes).add(id);
    }
    long left;
    try {
      left = record(jedis, lease, adds, removes, false);
    } catch (RuntimeException e) {
      queue.failed(batch);
      throw e;
    }
    if (left < 0) {
      queue.failed(batch);
      leaseLost();
    } else {
      queue.recorded(batch);
      // Open once the first write is done: its cold path (class loading, the script's first run)
      // is not counted against the bound of the registrations that wait for it.
      queue.opened();
    }
  }

  /** One {@link LeaseScripts#RECORD} call; returns how many tasks are left, or -1. */
  static long record(
      Jedis jedis, Lease lease, List<String> adds, List<String> removes, boolean settle) {
    List<String> args = new ArrayList<>(3 + adds.size() + removes.size());
    args.add(lease.token());
    args.add(settle ? "1" : "0");
    args.add(Integer.toString(adds.size()));
    args.addAll(adds);
    args.addAll(removes);
    Object left =
        jedis.eval(
            LeaseScripts.RECORD,
            List.of(RedisKeys.lease(lease.jvm()), RedisKeys.tasks(lease.jvm())),
            args);
    return (Long) left;
  }

  private synchronized void leaseLost() {
    if (closed) {
      return;
    }
    Set<String> live = registry.snapshot();
    AgentLog.line(
        "this JVM's lease in the Redis journal at "
            + settings.where()
            + " expired (Redis did not answer, or lost its data, for longer than leaseTtl "
            + settings.leaseTtl().toMillis()
            + " ms): a sweep may have cancelled its tasks; recording its "
            + live.size()
            + " registered tasks again under a new lease");
    newLease();
    queue.requeue(live);
  }

  private synchronized void newLease() {
    for (int attempt = 0; ; attempt++) {
      Lease fresh = Lease.fresh();
      // The lease first, then the index: a sweeper that finds the id in the index finds the lease
      // alive. (The other order let a sweep claim a JVM between the two and drop it from the
      // index, its records then invisible to every later sweep.) A crash between the two leaves a
      // lease that expires by itself; nothing was recorded under it yet.
      String ok =
          jedis.set(
              RedisKeys.lease(fresh.jvm()),
              fresh.token(),
              SetParams.setParams().nx().px(ttlMillis));
      if ("OK".equals(ok)) {
        jedis.sadd(RedisKeys.JVMS, fresh.jvm());
        lease = fresh;
        renewAt = System.currentTimeMillis() + renewEveryMillis;
        return;
      }
      if (attempt > 3) {
        throw new IllegalStateException("could not take a fresh lease");
      }
    }
  }

  private void disconnect() {
    Jedis open = jedis;
    jedis = null;
    if (open != null) {
      try {
        open.close();
      } catch (RuntimeException ignored) {
        // A broken connection: nothing to close cleanly.
      }
    }
  }

  @Override
  public void sweepInBackground(JournalSweep.Canceller canceller) {
    // The sweep has its own connection: see RedisSweep, run by the agent's PluginJournal.
  }

  /**
   * From the shutdown hook: stops the writer, then, on a connection of its own, forgets what the
   * cancel settled and records what it did not; with nothing left, deletes the lease and the set,
   * so a clean exit leaves nothing. Bounded by {@link #SETTLE_TIMEOUT} per call.
   */
  @Override
  public void afterShutdownCancel(CancelReport report) {
    Lease held;
    synchronized (this) {
      closed = true;
      held = lease;
    }
    queue.close();
    if (held == null) {
      return;
    }
    List<String> finished = new ArrayList<>();
    List<String> unfinished = new ArrayList<>();
    for (TaskOutcome task : report.tasks()) {
      (task.outcome().isFinal() ? finished : unfinished).add(task.id());
    }
    try (Jedis own = settings.connect(SETTLE_TIMEOUT)) {
      long left = 0;
      int chunks = Math.max(1, (finished.size() + unfinished.size() + BATCH - 1) / BATCH);
      for (int i = 0; i < chunks; i++) {
        List<String> adds = slice(unfinished, i, chunks);
        List<String> removes = slice(finished, i, chunks);
        left = record(own, held, adds, removes, i == chunks - 1);
        if (left < 0) {
          AgentLog.line(
              "this JVM's lease in the Redis journal at "
                  + settings.where()
                  + " had expired at shutdown; its records are left to the sweep");
          return;
        }
      }
      if (left == 0) {
        own.srem(RedisKeys.JVMS, held.jvm());
      }
    } catch (RuntimeException e) {
      AgentLog.line(
          "could not record the shutdown's results in the Redis journal at "
              + settings.where()
              + " ("
              + RedisFailure.describe(e)
              + "); a sweep checks those tasks again once this JVM's lease expires");
    }
  }

  private static List<String> slice(List<String> ids, int i, int chunks) {
    int size = (ids.size() + chunks - 1) / chunks;
    int from = Math.min(ids.size(), i * size);
    return ids.subList(from, Math.min(ids.size(), from + size));
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    queue.close();
    Thread writer = thread;
    if (writer != null) {
      writer.interrupt();
    }
  }
}
