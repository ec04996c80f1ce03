package dev.lastcall;

import java.util.Objects;

/**
 * A remote task together with the API family it belongs to, and the one string, its <em>key</em>,
 * that names it in the registry, the report, the journal and the command line.
 *
 * <p>A cloud task's key is its id, unchanged ({@code ac2wbk3lXAufdSdIscsirg}), so everything
 * written before the v1 family existed still reads the same. A v1 Agent API run's key is {@code
 * v1/} + its run id ({@code v1/run_123}). Ids never contain {@code /} (see {@link TaskIds}), so the
 * keys of the two families can never collide.
 *
 * @param family which API the task belongs to
 * @param id the task id (cloud) or run id (v1), as the API names it
 */
public record TaskRef(Family family, String id) {
  /**
   * @throws IllegalArgumentException if {@code id} is not an acceptable id (see {@link TaskIds})
   * @throws NullPointerException if {@code family} is null
   */
  public TaskRef {
    Objects.requireNonNull(family, "family");
    TaskIds.requireValid(id);
  }

  /** A task of the cloud Tasks API. */
  public static TaskRef cloud(String taskId) {
    return new TaskRef(Family.CLOUD, taskId);
  }

  /** A run of the v1 Agent API, by the {@code runId} (equal to its {@code taskId}) it answered. */
  public static TaskRef v1Run(String runId) {
    return new TaskRef(Family.V1, runId);
  }

  /**
   * The task a key names: {@code v1/RUNID} is a v1 run, anything else a cloud task id.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code key} and what is accepted
   */
  public static TaskRef parse(String key) {
    String problem = TaskIds.keyProblem(key);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return key.startsWith(Family.V1.keyPrefix())
        ? v1Run(key.substring(Family.V1.keyPrefix().length()))
        : cloud(key);
  }

  /** The one string that names this task everywhere: the id, or {@code v1/} + the run id. */
  public String key() {
    return family.keyPrefix() + id;
  }

  @Override
  public String toString() {
    return key();
  }
}
