package dev.lastcall.agent.client;

/**
 * The agent's client as its users wait for it: built once, in the background, the first time one of
 * them needs it.
 */
@FunctionalInterface
public interface ClientWait {
  /**
   * Starts preparing the client if nothing has yet, and waits for it until {@code deadlineNanos}
   * ({@link System#nanoTime()}).
   *
   * @return the client or why there is none; {@link PreparedClient#stillStarting()} if the deadline
   *     came first or the wait was interrupted (then with the interrupt status set)
   */
  PreparedClient await(long deadlineNanos);
}
