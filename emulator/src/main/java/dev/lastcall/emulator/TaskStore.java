package dev.lastcall.emulator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * All tasks of one emulator. Lookup by id is a hash lookup, so a stop or status call costs the same
 * with ten tasks or ten thousand; only listing walks a user's tasks.
 */
final class TaskStore {
  private final Map<String, TaskRecord> byId = new ConcurrentHashMap<>();

  /** Oldest first, for {@link Emulator#tasks()} and the admin state. */
  private final Queue<TaskRecord> inCreationOrder = new ConcurrentLinkedQueue<>();

  /** Newest first per user, as the list endpoint answers. */
  private final Map<String, Deque<TaskRecord>> byUser = new ConcurrentHashMap<>();

  private static final SecureRandom ID_RANDOM = new SecureRandom();

  private final Clock clock;
  private final Timings timings;
  private final Supplier<String> newId;

  /**
   * @param newId makes ids in the family's shape ({@link #cloudId()}, {@link #runId()})
   */
  TaskStore(Clock clock, Timings timings, Supplier<String> newId) {
    this.clock = clock;
    this.timings = timings;
    this.newId = newId;
  }

  Instant now() {
    return clock.instant();
  }

  TaskRecord create(String userId, NewTask input) {
    while (true) {
      TaskRecord record = new TaskRecord(newId.get(), userId, input, now(), timings);
      if (byId.putIfAbsent(record.id, record) == null) {
        inCreationOrder.add(record);
        byUser.computeIfAbsent(userId, u -> new ConcurrentLinkedDeque<>()).addFirst(record);
        return record;
      }
    }
  }

  Optional<TaskRecord> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The task if it exists and belongs to this user: another user's task must look absent. */
  Optional<TaskRecord> findOwned(String id, String userId) {
    TaskRecord r = byId.get(id);
    return r != null && r.userId.equals(userId) ? Optional.of(r) : Optional.empty();
  }

  List<TaskRecord> all() {
    return List.copyOf(inCreationOrder);
  }

  /** One page of a user's tasks, newest first, plus whether more match beyond it. */
  Page page(String userId, Predicate<TaskRecord> filter, int offset, int limit) {
    Deque<TaskRecord> mine = byUser.getOrDefault(userId, new ConcurrentLinkedDeque<>());
    List<TaskRecord> items = new ArrayList<>(Math.min(limit, 100));
    int skipped = 0;
    boolean hasMore = false;
    for (Iterator<TaskRecord> it = mine.iterator(); it.hasNext(); ) {
      TaskRecord r = it.next();
      if (!filter.test(r)) {
        continue;
      }
      if (skipped < offset) {
        skipped++;
      } else if (items.size() < limit) {
        items.add(r);
      } else {
        hasMore = true;
        break;
      }
    }
    return new Page(items, hasMore);
  }

  Map<String, Long> countsByStatus() {
    Instant now = now();
    Map<String, Long> counts = new TreeMap<>();
    for (TaskRecord r : inCreationOrder) {
      counts.merge(r.stateAt(now).status(), 1L, Long::sum);
    }
    return Collections.unmodifiableMap(counts);
  }

  /** 16 random bytes, base64url without padding: 22 URL-safe characters like the real ids. */
  static String cloudId() {
    byte[] bytes = new byte[16];
    ID_RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A random UUID, as the v1 Agent API's run ids are. */
  static String runId() {
    return UUID.randomUUID().toString();
  }

  record Page(List<TaskRecord> items, boolean hasMore) {}
}
