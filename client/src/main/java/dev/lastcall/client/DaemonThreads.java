package dev.lastcall.client;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names threads and makes them daemons. OkHttp's own dispatcher threads are not daemons and live 60
 * s: they would keep a JVM alive after main returns, the opposite of what this library is for.
 */
final class DaemonThreads implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();

  DaemonThreads(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Thread newThread(Runnable runnable) {
    Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }
}
