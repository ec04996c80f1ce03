package dev.lastcall.journal.redis;

import dev.lastcall.agent.journal.JournalSweep;
import dev.lastcall.agent.journal.JournalSweeper;
import dev.lastcall.agent.journal.SweepResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One sweep of the Redis journal: for every JVM in the index whose lease has expired, takes a claim
 * ({@link LeaseScripts#CLAIM}: exactly one sweeper wins, and a live lease is never claimed),
 * cancels every task the claimed JVMs list in one bounded cancel, forgets what is confirmed
 * finished (stopped, already done, or not found), drops a JVM from the index once none of its tasks
 * is left, and releases the claims, so what is not confirmed is tried again by the next sweep.
 *
 * <p>Cost per sweep: one SMEMBERS of the index, one EVAL per JVM in it, then per claimed JVM one
 * SMEMBERS, one EVAL per 1,000 finished ids and one or two small calls to release.
 */
final class RedisSweep implements JournalSweeper {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private final RedisSettings settings;
  private final Duration cancelTimeout;

  RedisSweep(RedisSettings settings, Duration cancelTimeout) {
    this.settings = settings;
    this.cancelTimeout = cancelTimeout;
  }

  @Override
  public SweepResult sweep(JournalSweep.Canceller canceller) throws IOException {
    String token = Lease.random(16);
    // Longer than the cancel and the calls around it, so the claim holds while we work; if we are
    // stopped dead, it expires and the next sweep claims again.
    long claimMillis = 2 * cancelTimeout.toMillis() + 10_000;
    Jedis jedis;
    try {
      jedis = settings.connect(CALL_TIMEOUT);
    } catch (JedisException e) {
      throw new IOException(
          "Redis at " + settings.where() + " does not answer: " + RedisFailure.describe(e), e);
    }
    Map<String, Set<String>> claimed = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    try (jedis) {
      int inUse = 0;
      for (String jvm : jedis.smembers(RedisKeys.JVMS)) {
        Object won =
            jedis.eval(
                LeaseScripts.CLAIM,
                List.of(RedisKeys.lease(jvm), RedisKeys.claim(jvm)),
                List.of(token, Long.toString(claimMillis)));
        if (((Long) won) == 1L) {
          claimed.put(jvm, jedis.smembers(RedisKeys.tasks(jvm)));
        } else {
          inUse++;
        }
      }
      Set<String> ids = new LinkedHashSet<>();
      claimed.values().forEach(ids::addAll);
      JournalSweep.Swept swept = canceller.sweep(ids);
      int left = 0;
      for (Map.Entry<String, Set<String>> entry : claimed.entrySet()) {
        left += forget(jedis, entry.getKey(), entry.getValue(), swept.finished(), token, notes);
      }
      return new SweepResult(
          settings.where(), claimed.size(), inUse, swept.report(), left, List.copyOf(notes));
    } catch (JedisException e) {
      throw new IOException(
          "Redis at " + settings.where() + " failed during the sweep: " + RedisFailure.describe(e),
          e);
    } finally {
      release(claimed.keySet(), token);
    }
  }

  /** Forgets a claimed JVM's finished tasks; returns how many it still has. */
  private static int forget(
      Jedis jedis,
      String jvm,
      Set<String> tasks,
      Set<String> finished,
      String token,
      List<String> notes) {
    List<String> done = new ArrayList<>();
    for (String id : tasks) {
      if (finished.contains(id)) {
        done.add(id);
      }
    }
    long left = tasks.size();
    int from = 0;
    do {
      List<String> args = new ArrayList<>();
      args.add(token);
      args.addAll(done.subList(from, Math.min(done.size(), from + RedisRecorder.BATCH)));
      from += RedisRecorder.BATCH;
      left =
          (Long)
              jedis.eval(
                  LeaseScripts.FORGET, List.of(RedisKeys.tasks(jvm), RedisKeys.claim(jvm)), args);
      if (left < 0) {
        notes.add(
            "the claim on JVM "
                + jvm
                + " expired during the sweep; its tasks will be checked again by the next sweep");
        return tasks.size();
      }
    } while (from < done.size());
    if (left == 0) {
      jedis.srem(RedisKeys.JVMS, jvm);
    }
    return (int) left;
  }

  /** Releases this sweep's claims on a connection of its own (ours may be broken). */
  private void release(Set<String> jvms, String token) {
    if (jvms.isEmpty()) {
      return;
    }
    try (Jedis jedis = settings.connect(CALL_TIMEOUT)) {
      for (String jvm : jvms) {
        jedis.eval(LeaseScripts.RELEASE, List.of(RedisKeys.claim(jvm)), List.of(token));
      }
    } catch (JedisException e) {
      // The claims expire by themselves.
    }
  }
}
