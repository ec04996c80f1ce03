package dev.lastcall.internal;

/**
 * Quotes a value someone typed (a task id, a configuration value, a command-line word) for a
 * one-line message.
 *
 * <p><b>Internal:</b> public only so that the api, the client and the agent quote alike; not for
 * applications, and it may change in any release.
 */
public final class Quoting {
  /** The most characters of a value shown; longer values end in {@code ...}. */
  public static final int MAX_SHOWN = 120;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Quoting() {}

  /**
   * {@code value} in double quotes, control characters escaped as {@code \}{@code uXXXX} (so that a
   * value cannot break the line or drive the terminal), shortened to {@link #MAX_SHOWN} characters.
   * Never call it with a secret: it hides nothing.
   */
  public static String quote(String value) {
    boolean shortened = value.length() > MAX_SHOWN;
    int shown = shortened ? MAX_SHOWN : value.length();
    StringBuilder out = new StringBuilder(shown + 5).append('"');
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        // By hand rather than String.format: premain quotes too, and Formatter is a lot to load.
        out.append("\\u")
            .append(HEX[(c >> 12) & 0xf])
            .append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf])
            .append(HEX[c & 0xf]);
      } else {
        out.append(c);
      }
    }
    if (shortened) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
