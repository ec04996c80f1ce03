package dev.lastcall.agent.journal;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Collection;

/**
 * Replaces a journal with one that records only a live set: written whole to the temp file, synced,
 * then renamed over the journal. A process killed at any point leaves either the old journal or the
 * complete new one (plus perhaps a stale temp file, which the next rewrite or sweep removes), so
 * nothing recorded is ever lost. The sync costs a few milliseconds but makes the rename safe
 * against a power cut too; rewrites are rare, appends are never synced.
 */
final class JournalRewrite {
  private JournalRewrite() {}

  /**
   * Rewrites the journal of {@code files} to hold {@code live} and returns a stream appending to
   * the new journal. The caller must hold the journal's lock (or be its owner).
   */
  static FileOutputStream replaceWith(JournalFiles files, Collection<String> live)
      throws IOException {
    ByteArrayOutputStream content = new ByteArrayOutputStream(64 + live.size() * 32);
    content.write(JournalFormat.header());
    for (String id : live) {
      content.write(JournalFormat.registered(id));
    }
    Files.deleteIfExists(files.temp());
    JournalFiles.createOwnerOnly(files.temp());
    // FileOutputStream rather than FileChannel: a channel write on an interrupted thread closes the
    // channel.
    FileOutputStream out = new FileOutputStream(files.temp().toFile(), true);
    try {
      content.writeTo(out);
      out.getFD().sync();
      try {
        Files.move(
            files.temp(),
            files.journal(),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(files.temp(), files.journal(), StandardCopyOption.REPLACE_EXISTING);
      }
      return out;
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /**
   * Deletes the journal and its temp file, then the lock file, in that order: a lock file without a
   * journal is harmless.
   */
  static void deleteAll(JournalFiles files) throws IOException {
    Files.deleteIfExists(files.journal());
    Files.deleteIfExists(files.temp());
    Files.deleteIfExists(files.lock());
  }
}
