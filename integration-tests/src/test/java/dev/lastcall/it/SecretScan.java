package dev.lastcall.it;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The suite's secret scan, registered for every test class of the module through JUnit's extension
 * auto-detection (META-INF/services plus junit-platform.properties).
 *
 * <p>{@link AgentJvm#start()} records each child's API key, the child and its report path; other
 * outputs (a thread dump, any text or file) are added with {@link #trackText} and {@link
 * #trackFile}. After each test every recorded output is scanned, and so is the message and stack
 * trace of any exception the test throws: if any 8-character window of a key's random part (the hex
 * after {@code bb_}) appears, case-insensitively, the test fails. Failure messages name where the
 * leak was and never the key.
 */
public final class SecretScan implements AfterEachCallback, TestExecutionExceptionHandler {
  /** Shortest run of the key's random part that counts as a leak. */
  static final int WINDOW = 8;

  private record Source(String key, String where, ChildJvm child, Path file, String text) {}

  private static final List<Source> SOURCES = new ArrayList<>();

  /**
   * Scans {@code child}'s stdout and stderr and the file at {@code report} (if any) for {@code
   * key}.
   */
  static synchronized void track(String key, ChildJvm child, Path report) {
    SOURCES.add(new Source(key, "child pid " + child.pid(), child, report, null));
  }

  /** Scans {@code text} for {@code key}. */
  static synchronized void trackText(String key, String where, String text) {
    SOURCES.add(new Source(key, where, null, null, text));
  }

  /** Scans the file at {@code file} for {@code key}, if it exists after the test. */
  static synchronized void trackFile(String key, Path file) {
    SOURCES.add(new Source(key, "file " + file, null, file, null));
  }

  private static synchronized List<Source> drain() {
    List<Source> copy = List.copyOf(SOURCES);
    SOURCES.clear();
    return copy;
  }

  private static synchronized List<String> keys() {
    return SOURCES.stream().map(Source::key).distinct().toList();
  }

  /** True if {@code text} holds a window of any key recorded so far in this test. */
  static boolean holdsAKey(String text) {
    return keys().stream().anyMatch(key -> findWindow(key, text) >= 0);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    List<String> leaks = new ArrayList<>();
    for (Source source : drain()) {
      if (source.child() != null) {
        check(
            source.key(),
            source.where() + " stdout",
            String.join("\n", source.child().stdout()),
            leaks);
        check(
            source.key(),
            source.where() + " stderr",
            String.join("\n", source.child().stderr()),
            leaks);
      }
      if (source.file() != null && Files.isRegularFile(source.file())) {
        check(
            source.key(),
            source.where() + " file " + source.file(),
            new String(Files.readAllBytes(source.file()), StandardCharsets.ISO_8859_1),
            leaks);
      }
      if (source.text() != null) {
        check(source.key(), source.where(), source.text(), leaks);
      }
    }
    if (!leaks.isEmpty()) {
      throw new AssertionError("the API key leaked: " + String.join("; ", leaks));
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown)
      throws Throwable {
    StringWriter text = new StringWriter();
    thrown.printStackTrace(new PrintWriter(text));
    List<String> leaks = new ArrayList<>();
    for (String key : keys()) {
      check(
          key,
          "the test's exception (" + thrown.getClass().getName() + ")",
          text.toString(),
          leaks);
    }
    if (!leaks.isEmpty()) {
      // Not the original: its message would carry the key into the build log.
      throw new AssertionError("the API key leaked: " + String.join("; ", leaks));
    }
    throw thrown;
  }

  /**
   * Adds a line to {@code leaks} for the first window of {@code key}'s random part found in {@code
   * text}.
   */
  static void check(String key, String where, String text, List<String> leaks) {
    int offset = findWindow(key, text);
    if (offset >= 0) {
      leaks.add(
          where
              + " holds "
              + WINDOW
              + " characters of the key's random part (at offset "
              + offset
              + " of the key)");
    }
  }

  /** The offset within the key's random part of the first window found in {@code text}, or -1. */
  static int findWindow(String key, String text) {
    String secret = (key.startsWith("bb_") ? key.substring(3) : key).toLowerCase(Locale.ROOT);
    String haystack = text.toLowerCase(Locale.ROOT);
    for (int i = 0; i + WINDOW <= secret.length(); i++) {
      if (haystack.contains(secret.substring(i, i + WINDOW))) {
        return i;
      }
    }
    return -1;
  }
}
