package dev.lastcall.agent.jmx;

/**
 * The agent as JMX shows it, {@code dev.lastcall:type=TaskRegistry}: an MXBean, so every attribute
 * and result is an open type (int, long, String, {@code CompositeData}) and jconsole, JDK Mission
 * Control or any JMX client reads it without Lastcall's classes. No attribute or result ever holds
 * the API key.
 */
public interface TaskRegistryMXBean {
  /** The object name the agent registers under. */
  String OBJECT_NAME = "dev.lastcall:type=TaskRegistry";

  /** How many tasks are registered now. */
  int getRegisteredCount();

  /**
   * One entry per registered task, a {@code CompositeData} to a JMX client: {@code id}, {@code
   * found} (how the agent knew of it: {@code api}, {@code joined} or {@code tracking}) and {@code
   * ageMillis} (since it was registered).
   */
  RegisteredTask[] getRegisteredTasks();

  /** The configured {@code timeout}, in milliseconds: the bound of the shutdown and of a cancel. */
  long getTimeout();

  /**
   * The last cancel on demand ({@code TaskRegistry.cancel}/{@code cancelAll} or this bean's), as
   * the JSON the report file holds; null before the first.
   */
  String getLastCancel();

  /** The last sweep of dead journals by this agent, as the report file's JSON; null before one. */
  String getLastSweep();

  /** The last batch cancelled for its time limit, as the report file's JSON; null before one. */
  String getLastTimeLimit();

  /**
   * Cancels one task, registered or not, within the configured timeout, exactly as {@code
   * TaskRegistry.cancel(id)}: deregistered if registered and confirmed finished.
   *
   * @return the report as the report file's JSON
   */
  String cancel(String id);

  /**
   * Cancels every task registered now within {@code timeoutMillis}, exactly as {@code
   * TaskRegistry.cancelAll}: what is confirmed finished is deregistered, the rest stays registered.
   *
   * @return the report as the report file's JSON
   */
  String cancelAll(long timeoutMillis);
}
