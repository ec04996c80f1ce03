package dev.lastcall.journal.redis;

/**
 * The journal's keys in Redis, all under {@code lastcall:}. A JVM is named by a random id; its
 * three keys share the hash tag {@code {id}}, so that on a Redis Cluster each script touches one
 * slot:
 *
 * <ul>
 *   <li>{@code lastcall:jvms}: a set of every JVM id that may have records (the sweeper's index);
 *   <li>{@code lastcall:{id}:lease}: the JVM's lease, a string holding its secret token, with a TTL
 *       of {@code leaseTtl}, renewed every third of it. A JVM whose lease is gone is gone;
 *   <li>{@code lastcall:{id}:tasks}: the set of its live task ids;
 *   <li>{@code lastcall:{id}:claim}: a sweeper's claim on a gone JVM, holding the sweeper's token,
 *       with a TTL longer than one sweep's cancel.
 * </ul>
 */
final class RedisKeys {
  static final String JVMS = "lastcall:jvms";

  private RedisKeys() {}

  static String lease(String jvm) {
    return "lastcall:{" + jvm + "}:lease";
  }

  static String tasks(String jvm) {
    return "lastcall:{" + jvm + "}:tasks";
  }

  static String claim(String jvm) {
    return "lastcall:{" + jvm + "}:claim";
  }
}
