package dev.lastcall.agent.ondemand;

import dev.lastcall.client.cancel.BulkCancel;
import java.time.Duration;

/**
 * Starts a deadline-bounded bulk cancel on the agent's one client ({@code
 * TasksClient::startCancelAll}). An interface of our own so that the classes premain loads never
 * name the client.
 */
@FunctionalInterface
public interface CancelStarter {
  /**
   * @throws IllegalStateException if the client is closed
   */
  BulkCancel start(Duration deadline);
}
