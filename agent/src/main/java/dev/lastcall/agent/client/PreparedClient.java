package dev.lastcall.agent.client;

import dev.lastcall.CancelReport;
import dev.lastcall.Outcome;
import dev.lastcall.client.TasksClient;
import dev.lastcall.client.cancel.BulkCancel;
import java.time.Duration;
import java.util.Collection;

/**
 * The agent's client once its preparation has settled, or why there is none: what the shutdown
 * hook, cancel on demand, time limits and the journal sweep all get from the runtime. Without a
 * client, {@link #outcome()} and {@link #detail()} are what every task that was not cancelled is
 * reported with: {@link Outcome#FAILED} when there will be no client (no API key), {@link
 * Outcome#TIMED_OUT} when it was still being built when the deadline came.
 */
public final class PreparedClient implements CancelStarter {
  private static final String STILL_STARTING =
      "the agent was still starting when the deadline came";

  private final TasksClient client;
  private final Outcome outcome;
  private final String why;

  private PreparedClient(TasksClient client, Outcome outcome, String why) {
    this.client = client;
    this.outcome = outcome;
    this.why = why;
  }

  /** Ready to cancel with {@code client}. */
  public static PreparedClient ready(TasksClient client) {
    return new PreparedClient(client, null, null);
  }

  /** There will be no client, because {@code why}: tasks are reported {@code FAILED}. */
  public static PreparedClient unavailable(String why) {
    return new PreparedClient(null, Outcome.FAILED, why);
  }

  /** The client was not ready by the deadline: tasks are reported {@code TIMED_OUT}. */
  public static PreparedClient stillStarting() {
    return new PreparedClient(null, Outcome.TIMED_OUT, STILL_STARTING);
  }

  /** True when there is a client to cancel with. */
  public boolean ready() {
    return client != null;
  }

  /** Why there is no client; null when {@link #ready()}. */
  public String why() {
    return why;
  }

  /** The outcome of a task that could not be cancelled for want of a client. */
  public Outcome outcome() {
    return outcome;
  }

  /** The detail of a task that could not be cancelled for want of a client. */
  public String detail() {
    return "not cancelled: " + why;
  }

  /**
   * {@code TasksClient.startCancelAll}.
   *
   * @throws IllegalStateException if there is no client, or it is closed
   */
  @Override
  public BulkCancel start(Duration deadline) {
    return client().startCancelAll(deadline);
  }

  /**
   * {@code TasksClient.cancelAll}.
   *
   * @throws IllegalStateException if there is no client, or it is closed
   */
  public CancelReport cancelAll(Collection<String> ids, Duration deadline) {
    return client().cancelAll(ids, deadline);
  }

  /** Loads what a cancel will need ({@code TasksClient.warmUp}); nothing without a client. */
  public void warmUp() {
    if (client != null) {
      client.warmUp();
    }
  }

  /**
   * Opens the connection a cancel will use, with one read-only request: the status of {@code
   * taskId} ({@code TasksClient.status}).
   *
   * @throws java.io.IOException as {@code TasksClient.status} does, typed for 401 and 404
   * @throws IllegalStateException if there is no client, or it is closed
   */
  public void openConnection(String taskId) throws java.io.IOException {
    client().status(dev.lastcall.TaskRef.parse(taskId));
  }

  /** Lets idle connections go ({@code TasksClient.releaseIdleConnections}); nothing without one. */
  public void releaseIdleConnections() {
    if (client != null) {
      client.releaseIdleConnections();
    }
  }

  /**
   * Cancels calls in flight and closes every connection ({@code TasksClient.closeConnections});
   * nothing without a client.
   */
  public void closeConnections() {
    if (client != null) {
      client.closeConnections();
    }
  }

  /** Closes the client, if there is one. */
  public void close() {
    if (client != null) {
      client.close();
    }
  }

  private TasksClient client() {
    if (client == null) {
      throw new IllegalStateException("no client: " + why);
    }
    return client;
  }

  @Override
  public String toString() {
    return client != null
        ? "PreparedClient{ready}"
        : "PreparedClient{" + outcome + ": " + why + "}";
  }
}
