package dev.lastcall.agent.cli;

import java.util.Locale;

/**
 * The one line {@code cancel} and {@code status} print per task: {@code ID STATE DETAIL}, two
 * spaces apart, STATE one word (an outcome such as {@code stopped} or {@code not_found}, or the
 * status the API reported), so that scripts can split the columns.
 */
final class TaskLine {
  private static final int MAX_DETAIL = 200;

  private TaskLine() {}

  static String render(String id, String state, String detail) {
    String oneWord = state.trim().toLowerCase(Locale.ROOT).replace(' ', '_');
    return id + "  " + oneWord + "  " + oneLine(detail);
  }

  /** Server text folded onto one line and shortened: it may hold newlines or escape codes. */
  private static String oneLine(String text) {
    String line = String.valueOf(text).replaceAll("[\\p{Cntrl}\\s]+", " ").trim();
    return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "..." : line;
  }
}
