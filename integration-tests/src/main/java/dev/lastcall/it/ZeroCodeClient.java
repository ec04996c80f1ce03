package dev.lastcall.it;

/**
 * How {@link ZeroCodeApp} sends one {@code POST} and reads the whole answer, one implementation per
 * HTTP client the agent's tracking covers; each lives in its own class so an app run with one
 * client never loads another's classes.
 */
interface ZeroCodeClient {
  /** The answer's body, exactly as the application read it. */
  byte[] post(String url, String key, String json) throws Exception;
}
