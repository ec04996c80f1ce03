package dev.lastcall.agent.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.TaskRegistry;
import dev.lastcall.agent.AgentLogCapture;
import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.agent.registry.SharedRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one place a journal store is chosen, and a Redis journal whose jar is missing. */
class JournalsTest {
  @TempDir Path dir;

  private static AgentConfig config(String journal) {
    Properties properties = new Properties();
    if (journal != null) {
      properties.setProperty("lastcall.journal", journal);
    }
    return ConfigLoader.load(null, properties, Map.of(), problem -> {});
  }

  @Test
  void theJournalValueChoosesTheStore() throws IOException {
    SharedRegistry registry = SharedRegistry.connect();
    assertSame(CrashJournal.NONE, Journals.open(config(null), registry));
    assertTrue(Journals.open(config(dir.toString()), registry) instanceof DirectoryJournal);
    assertTrue(Journals.open(config("redis://127.0.0.1:1"), registry) instanceof PluginJournal);
    try (JournalSweeper sweeper = Journals.sweeper(config(dir.toString()))) {
      assertTrue(sweeper instanceof DirectorySweeper);
    }
  }

  @Test
  void aRedisJournalWithoutItsJarIsOneLineAndRegistrationsDoNotWaitForIt() throws Exception {
    // In this module's tests the plugin is neither on the class path nor beside target/classes.
    IOException missing =
        assertThrows(IOException.class, () -> Journals.sweeper(config("redis://127.0.0.1:1")));
    assertTrue(
        missing.getMessage().contains("needs lastcall-journal-redis.jar"), missing.getMessage());

    CrashJournal journal = Journals.open(config("redis://127.0.0.1:1"), SharedRegistry.connect());
    journal.start();
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (AgentLogCapture.lines().isEmpty() && System.nanoTime() < end) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // a poll, bounded above
      }
      List<String> lines = AgentLogCapture.lines();
      assertEquals(1, lines.size(), lines.toString());
      assertTrue(
          lines.get(0).startsWith("journal is off: could not open the journal"), lines.get(0));
      // The queue was closed with the failure: this returns at once, not after the opening wait.
      TaskRegistry.global().register("j-1").close();
    } finally {
      journal.close();
    }
  }
}
