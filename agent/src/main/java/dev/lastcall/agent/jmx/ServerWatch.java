package dev.lastcall.agent.jmx;

import dev.lastcall.agent.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells when the JDK's MBean server class ({@code com.sun.jmx.mbeanserver.JmxMBeanServer}) is
 * loaded, which happens when someone creates an MBean server, and then starts, once, the {@code
 * lastcall-jmx} thread that registers the bean. A transformer that only compares names and returns
 * null; it removes itself once it has fired.
 */
final class ServerWatch implements ClassFileTransformer {
  static final String SERVER = "com/sun/jmx/mbeanserver/JmxMBeanServer";

  private final Instrumentation instrumentation;
  private final Runnable registration;
  private final AtomicBoolean fired = new AtomicBoolean();

  ServerWatch(Instrumentation instrumentation, Runnable registration) {
    this.instrumentation = instrumentation;
    this.registration = registration;
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (SERVER.equals(className)) {
      fire(); // on the creator's thread, inside its class loading: only a thread is started here
    }
    return null; // looks only
  }

  boolean fired() {
    return fired.get();
  }

  /** Fires if the server class was loaded before this watch was added. */
  void fireIfLoaded() {
    String name = SERVER.replace('/', '.');
    for (Class<?> loaded : instrumentation.getInitiatedClasses(null)) {
      if (loaded.getName().equals(name)) {
        fire();
        return;
      }
    }
  }

  private void fire() {
    if (!fired.compareAndSet(false, true)) {
      return;
    }
    try {
      Thread thread = new Thread(new Fired(), "lastcall-jmx");
      thread.setDaemon(true);
      thread.start();
    } catch (Throwable t) {
      AgentLog.line("the JMX bean is off, the rest of the agent works: " + t);
    }
  }

  /** The thread's body: off the creator's class loading, the watch goes and the bean comes. */
  private final class Fired implements Runnable {
    @Override
    public void run() {
      instrumentation.removeTransformer(ServerWatch.this);
      registration.run(); // waits in ManagementFactory for the server's creator to finish
    }
  }
}
