package dev.lastcall.agent.tracking;

import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Defines classes straight into the bootstrap class loader with the JDK's internal {@code Unsafe}.
 * Never loaded by the agent's own class loader: {@link BootstrapInjection} defines it in a class
 * loader of its own and exports {@code jdk.internal.misc} to that loader's unnamed module alone, so
 * neither the agent's nor the application's classes (the agent jar shares the class path's unnamed
 * module with them) gain access to the JDK's internals. JDK types only in its signature: the agent
 * reaches it as a {@link Consumer}.
 */
public final class BootstrapDefiner implements Consumer<Map<String, byte[]>> {
  @Override
  public void accept(Map<String, byte[]> classes) {
    try {
      Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
      Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
      Method define =
          unsafeType.getMethod(
              "defineClass",
              String.class,
              byte[].class,
              int.class,
              int.class,
              ClassLoader.class,
              ProtectionDomain.class);
      for (Map.Entry<String, byte[]> type : classes.entrySet()) {
        byte[] bytes = type.getValue();
        define.invoke(unsafe, type.getKey(), bytes, 0, bytes.length, null, null);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("could not define classes in the bootstrap loader", e);
    }
  }
}
