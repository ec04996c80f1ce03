package dev.lastcall.agent.runtime;

import dev.lastcall.agent.client.PreparedClient;
import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.agent.registry.SharedRegistry.Subscription;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The connection a shutdown will cancel over, opened before it is needed and kept while there is
 * something to cancel: at shutdown the calls then share it (over HTTP/2) instead of each setting up
 * a TLS connection on a JVM whose TLS code has never run.
 *
 * <ul>
 *   <li>Opened once, on the preparation thread after the client is built and warmed up, as soon as
 *       a task is registered: with one documented, read-only request, the status of the first
 *       registered task ({@link WarmRequest}). Never a write.
 *   <li>Kept by the client (HTTP/2 PING, a long pool keep-alive); when the server closes it, the
 *       next call opens another, resuming the TLS session.
 *   <li>Let go whenever the registry becomes empty: nothing is left to cancel. A later registration
 *       does not open it again; the shutdown's first call does, alone.
 * </ul>
 *
 * <p>premain makes it and subscribes its listeners: they are small classes, not lambdas, and do no
 * more on the registering thread than note the event and wake the preparation thread.
 */
final class WarmConnection {
  private final SharedRegistry registry;
  private final List<Subscription> subscriptions = new ArrayList<>(); // guarded by this

  // Guarded by this.
  private String firstRegistered;
  private boolean maybeEmpty;
  private boolean stopped;

  /** Read without the lock on every registration, so only the first takes it. */
  private volatile boolean registrationSeen;

  WarmConnection(SharedRegistry registry) {
    this.registry = registry;
  }

  /** Starts noting registrations and deregistrations; from premain, before main runs. */
  void watch() {
    Subscription registered = registry.onRegistration(new Registered(this));
    Subscription deregistered = registry.onDeregistration(new Deregistered(this));
    synchronized (this) {
      subscriptions.add(registered);
      subscriptions.add(deregistered);
    }
  }

  /**
   * On the preparation thread, with a ready client: waits until a task is registered, opens the
   * connection, then lets connections go each time the registry becomes empty, until {@link
   * #stop()}. Returns only when stopped.
   */
  void keep(PreparedClient client) {
    String id = awaitRegisteredId();
    if (id == null) {
      return;
    }
    WarmRequest.send(client, id);
    while (awaitMaybeEmpty()) {
      if (registry.isEmpty()) {
        client.releaseIdleConnections();
      }
    }
  }

  /** Stops {@link #keep}, which makes no request after this; idempotent. */
  void stop() {
    List<Subscription> closing;
    synchronized (this) {
      stopped = true;
      notifyAll();
      closing = new ArrayList<>(subscriptions);
      subscriptions.clear();
    }
    for (Subscription subscription : closing) {
      subscription.close();
    }
  }

  /** The first registered task if it still is, else any registered one; null once stopped. */
  private String awaitRegisteredId() {
    synchronized (this) {
      while (!stopped && firstRegistered == null && registry.isEmpty()) {
        if (!waitQuietly()) {
          return null;
        }
      }
      if (stopped) {
        return null;
      }
      if (firstRegistered != null && registry.isRegistered(firstRegistered)) {
        return firstRegistered;
      }
    }
    Iterator<String> registered = registry.ids().iterator();
    if (registered.hasNext()) {
      return registered.next();
    }
    return firstRegistered; // registered and gone already: its status still opens the connection
  }

  /** Waits for a deregistration that may have emptied the registry; false once stopped. */
  private synchronized boolean awaitMaybeEmpty() {
    while (!stopped && !maybeEmpty) {
      if (!waitQuietly()) {
        return false;
      }
    }
    maybeEmpty = false;
    return !stopped;
  }

  private boolean waitQuietly() {
    try {
      wait();
      return true;
    } catch (InterruptedException e) {
      stopped = true; // only our own daemon thread waits here
      return false;
    }
  }

  private void registered(String id) {
    if (registrationSeen) {
      return;
    }
    synchronized (this) {
      if (firstRegistered == null) {
        firstRegistered = id;
        registrationSeen = true;
        notifyAll();
      }
    }
  }

  private void deregistered() {
    if (registry.isEmpty()) {
      synchronized (this) {
        maybeEmpty = true;
        notifyAll();
      }
    }
  }

  private static final class Registered implements Consumer<String> {
    private final WarmConnection warm;

    Registered(WarmConnection warm) {
      this.warm = warm;
    }

    @Override
    public void accept(String id) {
      warm.registered(id);
    }
  }

  private static final class Deregistered implements Consumer<String> {
    private final WarmConnection warm;

    Deregistered(WarmConnection warm) {
      this.warm = warm;
    }

    @Override
    public void accept(String id) {
      warm.deregistered();
    }
  }
}
