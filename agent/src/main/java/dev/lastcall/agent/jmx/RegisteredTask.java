package dev.lastcall.agent.jmx;

import java.beans.ConstructorProperties;

/**
 * One registered task as the MXBean shows it: JMX clients see a {@code CompositeData} with the
 * items {@code id}, {@code found} and {@code ageMillis} (named after the getters), and need not
 * have this class. Issue 12 adds a task family to the api: when it is there, it becomes one more
 * getter here ({@code getFamily}, a String), which adds an item and keeps clients that read the
 * others by name working.
 */
public final class RegisteredTask {
  private final String id;
  private final String found;
  private final long ageMillis;

  @ConstructorProperties({"id", "found", "ageMillis"})
  public RegisteredTask(String id, String found, long ageMillis) {
    this.id = id;
    this.found = found;
    this.ageMillis = ageMillis;
  }

  /** The task id. */
  public String getId() {
    return id;
  }

  /**
   * How the agent knew of it: {@code api}, {@code joined} (another class loader's) or {@code
   * tracking}.
   */
  public String getFound() {
    return found;
  }

  /** Milliseconds since it was registered (since the agent was attached, if earlier). */
  public long getAgeMillis() {
    return ageMillis;
  }
}
