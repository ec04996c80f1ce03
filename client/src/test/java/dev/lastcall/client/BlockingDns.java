package dev.lastcall.client;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import okhttp3.Dns;

/** A resolver whose lookups hang until released, like a DNS server that never answers. */
public final class BlockingDns implements Dns {
  private final CountDownLatch release = new CountDownLatch(1);
  public final CountDownLatch entered = new CountDownLatch(1);

  @Override
  public List<InetAddress> lookup(String hostname) {
    entered.countDown();
    boolean interrupted = false;
    while (true) {
      try {
        release.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // Like a real lookup: an interrupt does not end it.
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return List.of(InetAddress.getLoopbackAddress());
  }

  /** Lets hung lookups finish, so test threads do not pile up. */
  public void release() {
    release.countDown();
  }
}
