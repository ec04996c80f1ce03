package dev.lastcall.agent.jmx;

import dev.lastcall.agent.registry.SharedRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * When each registered task was first seen, for the {@code RegisteredTasks} attribute's age: the
 * registry keeps no times, so this subscribes to its registrations from premain on (one map write
 * per registration and deregistration). A task registered before the agent subscribed (the agent
 * was attached to a running JVM) counts its age from the subscription.
 */
final class RegistrationAges {
  private final Map<String, Long> seenAt = new ConcurrentHashMap<>();
  private final long subscribedAt;

  private RegistrationAges(long subscribedAt) {
    this.subscribedAt = subscribedAt;
  }

  /** Subscribes to {@code registry}'s events; never throws. */
  static RegistrationAges follow(SharedRegistry registry) {
    RegistrationAges ages = new RegistrationAges(System.nanoTime());
    registry.onRegistration(new Registered(ages.seenAt));
    registry.onDeregistration(new Deregistered(ages.seenAt));
    return ages;
  }

  /** Milliseconds since {@code id} was registered (or since the subscription, if earlier). */
  long ageMillis(String id, long nowNanos) {
    Long at = seenAt.get(id);
    return Math.max(0, (nowNanos - (at != null ? at : subscribedAt)) / 1_000_000);
  }

  // Small classes, not lambdas: made on premain's thread.

  private static final class Registered implements Consumer<String> {
    private final Map<String, Long> seenAt;

    Registered(Map<String, Long> seenAt) {
      this.seenAt = seenAt;
    }

    @Override
    public void accept(String id) {
      seenAt.put(id, System.nanoTime()); // a re-registration starts its age again
    }
  }

  private static final class Deregistered implements Consumer<String> {
    private final Map<String, Long> seenAt;

    Deregistered(Map<String, Long> seenAt) {
      this.seenAt = seenAt;
    }

    @Override
    public void accept(String id) {
      seenAt.remove(id);
    }
  }
}
