package dev.lastcall;

/**
 * Told what became of a task the Lastcall agent cancelled on its own while the application runs:
 * today, a task whose time limit passed (see {@link TaskRegistry#register(String,
 * java.time.Duration)}). Add one with {@link TaskRegistry#addListener}.
 *
 * <p>Called on one of the agent's threads, once per task and cancel, after the outcome is known
 * and, when the outcome is final ({@link Outcome#STOPPED}, {@link Outcome#ALREADY_DONE}, {@link
 * Outcome#NOT_FOUND}), after the task has been deregistered. Return quickly: hand slow work to a
 * thread of your own. Whatever a listener throws is caught and dropped; it never reaches the agent
 * or the other listeners.
 *
 * <p>Without the agent attached nothing is cancelled, so a listener is never called.
 */
@FunctionalInterface
public interface TaskListener {
  /** What became of one task. */
  void onOutcome(TaskOutcome outcome);
}
