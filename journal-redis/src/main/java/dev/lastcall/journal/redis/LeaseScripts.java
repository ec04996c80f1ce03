package dev.lastcall.journal.redis;

/**
 * The journal's Lua scripts: each runs atomically in Redis, which is what makes a lease mean
 * something. Every write of a JVM's records checks its lease's token first, so a JVM whose lease
 * expired (and whose records a sweeper may be processing) never writes them again; and a claim
 * checks the lease and takes the claim in one step, so exactly one sweeper wins a gone JVM and a
 * live one is never claimed.
 */
final class LeaseScripts {
  private LeaseScripts() {}

  /**
   * KEYS: lease, tasks. ARGV: token, settle (1 or 0), number of ids to add, the ids to add, then
   * the ids to remove. Returns -1 if the lease is not ours (expired, or Redis lost it), else how
   * many tasks are left; with settle=1 and none left, deletes the lease and the set (a clean exit).
   */
  static final String RECORD =
      "if redis.call('get', KEYS[1]) ~= ARGV[1] then return -1 end\n"
          + "local adds = tonumber(ARGV[3])\n"
          + "if adds > 0 then redis.call('sadd', KEYS[2], unpack(ARGV, 4, 3 + adds)) end\n"
          + "if #ARGV > 3 + adds then redis.call('srem', KEYS[2], unpack(ARGV, 4 + adds, #ARGV))"
          + " end\n"
          + "local left = redis.call('scard', KEYS[2])\n"
          + "if ARGV[2] == '1' and left == 0 then redis.call('del', KEYS[1], KEYS[2]) end\n"
          + "return left\n";

  /** KEYS: lease. ARGV: token, ttl in ms. Returns 1 if renewed, 0 if the lease is not ours. */
  static final String RENEW =
      "if redis.call('get', KEYS[1]) == ARGV[1] then\n"
          + "  redis.call('pexpire', KEYS[1], ARGV[2])\n"
          + "  return 1\n"
          + "end\n"
          + "return 0\n";

  /**
   * KEYS: lease, claim. ARGV: sweeper token, claim ttl in ms. Returns 1 if this sweeper now holds
   * the claim, 0 if the JVM's lease is alive, -1 if another sweeper holds the claim.
   */
  static final String CLAIM =
      "if redis.call('exists', KEYS[1]) == 1 then return 0 end\n"
          + "if redis.call('set', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end\n"
          + "return -1\n";

  /**
   * KEYS: tasks, claim. ARGV: sweeper token, then the finished ids. Returns -1 if the claim is no
   * longer ours, else how many tasks are left; with none left the set is deleted.
   */
  static final String FORGET =
      "if redis.call('get', KEYS[2]) ~= ARGV[1] then return -1 end\n"
          + "if #ARGV > 1 then redis.call('srem', KEYS[1], unpack(ARGV, 2, #ARGV)) end\n"
          + "local left = redis.call('scard', KEYS[1])\n"
          + "if left == 0 then redis.call('del', KEYS[1]) end\n"
          + "return left\n";

  /** KEYS: claim. ARGV: token. Deletes the claim if it is still ours. */
  static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end\n"
          + "return 0\n";
}
