package dev.lastcall.agent.attach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

/**
 * Hands the API key from the {@code attach} command to the agent in the target JVM without it
 * showing anywhere: not in the command's arguments or the target's ({@code ps}), not in the agent
 * arguments (which the JVM keeps, e.g. in JFR's {@code jdk.JavaAgent} event), not in any output.
 * The command writes it to a file only its user can read, in a directory only its user can open,
 * and names the file in the arguments; the agent reads it and deletes both at once, inside {@code
 * agentmain}, before the command's {@code loadAgent} returns. The command deletes them too, in case
 * the agent never ran.
 */
public final class KeyHandoff {
  private KeyHandoff() {}

  /** Writes {@code key} to a new owner-only file; returns its path. */
  public static Path write(String key) throws IOException {
    return write(key, null);
  }

  /**
   * Writes {@code key} to a new file only {@code owner} can read (null: this process's user); root
   * attaching to another user's JVM hands the file to that user, who alone may read it then.
   */
  public static Path write(String key, String owner) throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path dir =
        posix
            ? Files.createTempDirectory(
                "lastcall-attach-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
            : Files.createTempDirectory("lastcall-attach-");
    Path file = dir.resolve("key");
    if (posix) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.write(file, key.getBytes(StandardCharsets.UTF_8));
    if (owner != null && posix) {
      UserPrincipal user =
          FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(owner);
      Files.setOwner(file, user);
      Files.setOwner(dir, user);
    }
    return file;
  }

  /** Reads the key the file holds, then deletes the file and its directory. */
  public static String take(Path file) throws IOException {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
    } finally {
      discard(file);
    }
  }

  /** Deletes the file and its directory if they are still there; never throws. */
  public static void discard(Path file) {
    for (Path path : new Path[] {file, file.getParent()}) {
      try {
        if (path != null) {
          Files.deleteIfExists(path);
        }
      } catch (IOException | RuntimeException ignored) {
        // Owner-only, in a temporary directory: nothing better to do than leave it.
      }
    }
  }
}
