package dev.lastcall.agent.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The journal of a JVM that is gone, claimed by a sweep: its lock is held from {@link #claim} until
 * {@link #close}, so no other sweeper can process it at the same time, and a running JVM's journal
 * can never be claimed at all.
 */
final class DeadJournal implements AutoCloseable {
  /** Why a journal was not claimed. */
  enum Skip {
    /** Its owner is alive (the lock is held), or another sweeper holds it right now. */
    IN_USE,
    /** It was swept away between listing the directory and claiming it. */
    GONE,
    /**
     * It has no lock file, which our own order of creating and deleting never leaves: left alone.
     */
    NO_LOCK_FILE
  }

  private final JournalFiles files;
  private final FileChannel channel;
  private final FileLock lock;
  private final JournalFormat.Contents contents;

  private DeadJournal(
      JournalFiles files, FileChannel channel, FileLock lock, JournalFormat.Contents contents) {
    this.files = files;
    this.channel = channel;
    this.lock = lock;
    this.contents = contents;
  }

  /** Either a claimed journal or the reason it was skipped. */
  record Claim(DeadJournal journal, Skip skipped) {}

  static Claim claim(JournalFiles files) throws IOException {
    FileChannel channel;
    try {
      // Never CREATE: a lock file we made would prove nothing about the journal's owner.
      channel = FileChannel.open(files.lock(), StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      return new Claim(null, Files.exists(files.journal()) ? Skip.NO_LOCK_FILE : Skip.GONE);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldInThisJvm) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      return new Claim(null, Skip.IN_USE);
    }
    try {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(files.journal());
      } catch (NoSuchFileException e) {
        // Finished by another sweeper before we got the lock, or an orphan lock file: tidy up.
        JournalRewrite.deleteAll(files);
        release(lock, channel);
        return new Claim(null, Skip.GONE);
      }
      return new Claim(new DeadJournal(files, channel, lock, JournalFormat.parse(bytes)), null);
    } catch (IOException | RuntimeException e) {
      release(lock, channel);
      throw e;
    }
  }

  JournalFiles files() {
    return files;
  }

  JournalFormat.Contents contents() {
    return contents;
  }

  /**
   * Leaves only {@code unfinished} in the journal: deletes it (and its lock file) when nothing is
   * left, rewrites it atomically otherwise. Call before {@link #close}.
   */
  void keepOnly(Set<String> unfinished) throws IOException {
    if (unfinished.isEmpty()) {
      JournalRewrite.deleteAll(
          files); // while we hold the lock, so nobody reads a half-deleted journal
      return;
    }
    boolean unchanged =
        unfinished.equals(contents.live())
            && contents.records() == unfinished.size()
            && contents.ignoredLines() == 0
            && !contents.tornTail();
    if (!unchanged) {
      JournalRewrite.replaceWith(files, unfinished).close();
    }
  }

  /** Releases the lock. */
  @Override
  public void close() throws IOException {
    release(lock, channel);
  }

  private static void release(FileLock lock, FileChannel channel) throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }
}
