package dev.lastcall.agent.journal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The three files of one JVM's journal in a journal directory, all named from one base name {@code
 * lastcall-<pid>-<random>}:
 *
 * <ul>
 *   <li>{@code <name>.journal}: the records;
 *   <li>{@code <name>.lock}: locked by the owning JVM for its whole life and never replaced, so a
 *       lock that can be taken proves the owner is gone (a PID alone proves nothing: PIDs are
 *       reused);
 *   <li>{@code <name>.journal.tmp}: a compaction in progress, renamed over the journal when
 *       complete.
 * </ul>
 */
record JournalFiles(Path dir, String name) {
  static final String PREFIX = "lastcall-";
  static final String JOURNAL_SUFFIX = ".journal";
  static final String LOCK_SUFFIX = ".lock";
  static final String TEMP_SUFFIX = ".journal.tmp";

  Path journal() {
    return dir.resolve(name + JOURNAL_SUFFIX);
  }

  Path lock() {
    return dir.resolve(name + LOCK_SUFFIX);
  }

  Path temp() {
    return dir.resolve(name + TEMP_SUFFIX);
  }

  /**
   * This process's id from {@code /proc/self}, or null where there is none: for people reading the
   * directory only, never for liveness (that is the lock's job). Not {@link ProcessHandle}, whose
   * first use starts a thread pool, too slow for premain.
   */
  static String pid() {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self")).toString();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The files a journal path belongs to, if it is named like one of ours. */
  static Optional<JournalFiles> ofJournal(Path journal) {
    String file = journal.getFileName().toString();
    if (!file.startsWith(PREFIX)
        || !file.endsWith(JOURNAL_SUFFIX)
        || file.length() <= JOURNAL_SUFFIX.length()) {
      return Optional.empty();
    }
    return Optional.of(
        new JournalFiles(
            journal.toAbsolutePath().getParent(),
            file.substring(0, file.length() - JOURNAL_SUFFIX.length())));
  }

  /** The files a lock path belongs to, if it is named like one of ours. */
  static Optional<JournalFiles> ofLock(Path lock) {
    String file = lock.getFileName().toString();
    if (!file.startsWith(PREFIX) || !file.endsWith(LOCK_SUFFIX)) {
      return Optional.empty();
    }
    return Optional.of(
        new JournalFiles(
            lock.toAbsolutePath().getParent(),
            file.substring(0, file.length() - LOCK_SUFFIX.length())));
  }

  /**
   * Creates {@code path}, which must not exist, readable and writable by its owner only. The
   * permissions are set at creation, so there is no moment when another user could open it.
   */
  static void createOwnerOnly(Path path) throws IOException {
    if (posix()) {
      Files.createFile(path, OWNER_ONLY);
    } else {
      Files.createFile(path);
    }
  }

  /** Creates the journal directory if missing, owner-only when this call creates it. */
  static void createDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (posix()) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  private static final FileAttribute<?> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
