package dev.lastcall.agent.client;

import dev.lastcall.client.cancel.BulkCancel;
import java.time.Duration;

/**
 * Starts a deadline-bounded bulk cancel on the agent's one client ({@link PreparedClient} in the
 * agent, {@code TasksClient::startCancelAll} in tests). An interface of our own so that the classes
 * premain loads never name the client.
 */
@FunctionalInterface
public interface CancelStarter {
  /**
   * @throws IllegalStateException if the client is closed
   */
  BulkCancel start(Duration deadline);
}
