package dev.lastcall.agent.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes the report so that a reader sees either the old file or the whole new one, never half. */
public final class ReportFile {
  private ReportFile() {}

  public static void write(Path path, String json) throws IOException {
    Path absolute = path.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path temp = Files.createTempFile(dir, ".lastcall-report", ".tmp");
    try {
      Files.write(temp, json.getBytes(StandardCharsets.UTF_8));
      try {
        Files.move(
            temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
