package dev.lastcall.agent.tracking;

import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.registry.SharedRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Acts on what the application's answers say ({@link TaskAnswers}): registers the tasks it created,
 * deregisters those its own calls showed ended. Whatever goes wrong here stays here: counted, said
 * once on stderr, never thrown into the application's call.
 */
public final class Tracker {
  /** The handle of a registration made by tracking, for anyone who looks at one. */
  static final Object FOUND = new FoundByTracking();

  private final TaskAnswers answers;
  private final SharedRegistry registry;
  private final AtomicLong failures = new AtomicLong();

  public Tracker(TaskAnswers answers, SharedRegistry registry) {
    this.answers = answers;
    this.registry = registry;
  }

  /** True if calls to {@code uri} may say something about tasks: only those are teed. */
  public boolean concerns(java.net.URI uri) {
    return answers.concerns(uri);
  }

  /** Acts on one answer the application received; never throws. */
  public void observe(ApiAnswer answer) {
    try {
      TaskAnswers.Seen seen = answers.read(answer);
      switch (seen.kind()) {
        case CREATED -> registry.track(seen.id(), FOUND);
        case ENDED -> registry.untrack(seen.id());
        case NOTHING -> {}
      }
    } catch (Throwable t) {
      failed(t);
    }
  }

  /** Counts a failure of tracking; the first is said on stderr, without the call's details. */
  public void failed(Throwable t) {
    if (failures.getAndIncrement() == 0) {
      AgentLog.line(
          "tracking the application's HTTP calls failed once and keeps going (the application's"
              + " call was not affected): "
              + t.getClass().getName());
    }
  }

  /** How many times tracking failed. */
  public long failures() {
    return failures.get();
  }

  private static final class FoundByTracking {
    @Override
    public String toString() {
      return "found by tracking the application's HTTP client";
    }
  }
}
