package dev.lastcall;

import static dev.lastcall.internal.Quoting.quote;

/**
 * The one rule for what a task id may look like, shared by the registry and the client.
 *
 * <p>BLACKBOX task ids are short URL-safe strings such as {@code ac2wbk3lXAufdSdIscsirg}. An id
 * becomes one path segment of {@code /api/tasks/{taskId}}, so anything that could change which path
 * is addressed (a {@code /}, a query or fragment marker, a dot segment, an escape) is refused here
 * rather than encoded into a request for some other resource.
 */
public final class TaskIds {
  /** The longest id accepted. Real ids are about 22 characters; this leaves ample room. */
  public static final int MAX_LENGTH = 200;

  private static final String ACCEPTED =
      "a task id is 1 to "
          + MAX_LENGTH
          + " characters with no whitespace, control characters, '/', '\\', '?', '#', '%' or '..'";

  private static final String KEYS =
      "a key is a cloud task id, or v1/ followed by a v1 Agent API run id";

  private TaskIds() {}

  /**
   * Returns {@code key} if it is an acceptable task key (see {@link TaskRef}), else throws.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code key} and what is accepted
   */
  public static String requireValidKey(String key) {
    String problem = keyProblem(key);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return key;
  }

  /**
   * Returns null if {@code key} names a task ({@link TaskRef#key()}): an acceptable cloud task id,
   * or {@code v1/} followed by an acceptable run id; else a message naming what is wrong and what
   * is accepted. The one place the key rule is written.
   */
  public static String keyProblem(String key) {
    String prefix = Family.V1.keyPrefix();
    if (key != null && key.startsWith(prefix)) {
      String problem = problem(key.substring(prefix.length()));
      return problem == null ? null : "key " + quote(key) + ": the run id after v1/: " + problem;
    }
    String problem = problem(key);
    if (problem != null && key != null && key.indexOf('/') >= 0) {
      return problem + "; " + KEYS;
    }
    return problem;
  }

  /**
   * Returns {@code id} if it is acceptable, else throws.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code id} and what is accepted
   */
  public static String requireValid(String id) {
    String problem = problem(id);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return id;
  }

  /**
   * Returns null if {@code id} is acceptable, else a message naming what is wrong and what is
   * accepted.
   */
  public static String problem(String id) {
    if (id == null) {
      return "task id is null; " + ACCEPTED;
    }
    int length = id.length();
    if (length == 0) {
      return "task id is empty; " + ACCEPTED;
    }
    if (length > MAX_LENGTH) {
      return "task id " + quote(id) + " is " + length + " characters long; " + ACCEPTED;
    }
    if (id.equals(".") || id.contains("..")) {
      return "task id " + quote(id) + " is or contains a dot segment; " + ACCEPTED;
    }
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      if (Character.isISOControl(c)) {
        return "task id "
            + quote(id)
            + " contains a control character at index "
            + i
            + "; "
            + ACCEPTED;
      }
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        return "task id " + quote(id) + " contains whitespace at index " + i + "; " + ACCEPTED;
      }
      if (c == '/' || c == '\\' || c == '?' || c == '#' || c == '%') {
        return "task id " + quote(id) + " contains '" + c + "' at index " + i + "; " + ACCEPTED;
      }
    }
    return null;
  }
}
