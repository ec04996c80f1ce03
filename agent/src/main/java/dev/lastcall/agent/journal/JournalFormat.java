package dev.lastcall.agent.journal;

import dev.lastcall.TaskIds;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The journal's text format, UTF-8, one record per line:
 *
 * <pre>
 * lastcall-journal 1 pid=4242
 * +ac2wbk3lXAufdSdIscsirg
 * -ac2wbk3lXAufdSdIscsirg
 * </pre>
 *
 * The header names the format and its version (words after the version are informative only).
 * {@code +id} records a registration and {@code -id} a deregistration; the live set is what
 * replaying them in order leaves. Ids are validated by {@link TaskIds} (no whitespace, no control
 * characters), so an id can never break a line or pose as a header.
 *
 * <p>Reading never fails on damage: a last line without its newline is a write cut short by the
 * process's death and is ignored, as is any line that is not a well-formed record (zeros a power
 * cut left behind, for instance). Such lines are counted so the sweep can say so.
 */
final class JournalFormat {
  static final String MAGIC = "lastcall-journal";
  static final int VERSION = 1;

  private JournalFormat() {}

  private static final String PID = JournalFiles.pid();

  static byte[] header() {
    String header = MAGIC + ' ' + VERSION + (PID != null ? " pid=" + PID : "") + '\n';
    return header.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] registered(String id) {
    return record('+', id);
  }

  static byte[] deregistered(String id) {
    return record('-', id);
  }

  private static byte[] record(char kind, String id) {
    return (kind + id + '\n').getBytes(StandardCharsets.UTF_8);
  }

  /** What a journal file says. */
  record Contents(
      Set<String> live, int records, int ignoredLines, boolean tornTail, String unreadable) {
    /**
     * True if the file is a journal this version can read; otherwise {@link #unreadable} says why.
     */
    boolean readable() {
      return unreadable == null;
    }
  }

  static Contents parse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    boolean torn = end != text.length() - 1;
    if (end < 0) {
      // Not even a whole header: the owner died while creating the file, before any record.
      return new Contents(Set.of(), 0, 0, !text.isEmpty(), null);
    }
    String[] lines = text.substring(0, end).split("\n", -1);
    String problem = headerProblem(lines[0]);
    if (problem != null) {
      return new Contents(Set.of(), 0, 0, torn, problem);
    }
    Set<String> live = new LinkedHashSet<>();
    int records = 0;
    int ignored = 0;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      String id = line.length() > 1 ? line.substring(1) : null;
      if (id == null
          || TaskIds.keyProblem(id) != null
          || line.charAt(0) != '+' && line.charAt(0) != '-') {
        ignored++;
        continue;
      }
      records++;
      if (line.charAt(0) == '+') {
        live.add(id);
      } else {
        live.remove(id);
      }
    }
    return new Contents(live, records, ignored, torn, null);
  }

  private static String headerProblem(String header) {
    String[] words = header.split(" ");
    if (!words[0].equals(MAGIC) || words.length < 2) {
      return "not a Lastcall journal (no '" + MAGIC + "' header)";
    }
    if (!words[1].equals(Integer.toString(VERSION))) {
      return "journal format version " + words[1] + ", this agent reads version " + VERSION;
    }
    return null;
  }
}
