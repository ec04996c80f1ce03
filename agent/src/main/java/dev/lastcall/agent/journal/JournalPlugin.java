package dev.lastcall.agent.journal;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.registry.SharedRegistry;
import java.io.IOException;

/**
 * What a journal store shipped in a jar of its own provides ({@code lastcall-journal-redis.jar}
 * implements it as {@code dev.lastcall.journal.redis.RedisJournalPlugin}). {@link Journals} loads
 * it by name, in a class loader of its own, only when such a journal is configured: an agent
 * without one never opens that jar.
 */
public interface JournalPlugin {
  /**
   * This JVM's journal in the store. Called on a daemon thread, never premain's; the registrations
   * made meanwhile are in {@code queue}, which the journal drains from then on.
   */
  CrashJournal open(AgentConfig config, SharedRegistry registry, RegistrationQueue queue)
      throws IOException;

  /** A sweeper of the store, for the agent's sweep at start and for {@code sweep}. */
  JournalSweeper sweeper(AgentConfig config) throws IOException;
}
