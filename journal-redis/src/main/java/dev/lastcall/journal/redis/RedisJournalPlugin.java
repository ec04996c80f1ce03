package dev.lastcall.journal.redis;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.journal.CrashJournal;
import dev.lastcall.agent.journal.JournalPlugin;
import dev.lastcall.agent.journal.JournalSweeper;
import dev.lastcall.agent.journal.RegistrationQueue;
import dev.lastcall.agent.registry.SharedRegistry;
import java.io.IOException;

/**
 * The Redis journal ({@code journal=redis://...}), as the agent's {@code Journals} loads it from
 * {@code lastcall-journal-redis.jar}.
 *
 * <p>The client is Jedis: plain blocking sockets with a connect and a read timeout per call, which
 * make every wait of ours bounded without a thread pool, an event loop or Netty in the
 * application's JVM, and a small jar to relocate (Lettuce would bring Netty and Reactor, several
 * megabytes and threads of their own, for an asynchrony one writer thread does not need).
 */
public final class RedisJournalPlugin implements JournalPlugin {
  @Override
  public CrashJournal open(AgentConfig config, SharedRegistry registry, RegistrationQueue queue)
      throws IOException {
    return new RedisRecorder(RedisSettings.of(config), registry, queue);
  }

  @Override
  public JournalSweeper sweeper(AgentConfig config) throws IOException {
    return new RedisSweep(RedisSettings.of(config), config.timeout());
  }
}
