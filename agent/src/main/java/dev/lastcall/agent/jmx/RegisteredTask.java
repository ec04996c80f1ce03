package dev.lastcall.agent.jmx;

import java.beans.ConstructorProperties;

/**
 * One registered task as the MXBean shows it: JMX clients see a {@code CompositeData} with the
 * items {@code id}, {@code family}, {@code found} and {@code ageMillis} (named after the getters),
 * and need not have this class.
 */
public final class RegisteredTask {
  private final String id;
  private final String family;
  private final String found;
  private final long ageMillis;

  @ConstructorProperties({"id", "family", "found", "ageMillis"})
  public RegisteredTask(String id, String family, String found, long ageMillis) {
    this.id = id;
    this.family = family;
    this.found = found;
    this.ageMillis = ageMillis;
  }

  /** The task's key: its id for a cloud task, {@code v1/} + run id for a v1 run. */
  public String getId() {
    return id;
  }

  /** {@code cloud} or {@code v1}: which API the task belongs to. */
  public String getFamily() {
    return family;
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
