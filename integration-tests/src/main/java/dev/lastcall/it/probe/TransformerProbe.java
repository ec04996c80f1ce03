package dev.lastcall.it.probe;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.jar.JarFile;

/**
 * A test-only {@code -javaagent} that starts Lastcall's agent itself (the jar named by the system
 * property {@code lastcall.it.agentJar}, with the same agent arguments) and hands it an {@link
 * Instrumentation} that passes every call on and prints {@code ADDED_TRANSFORMER <class>} on stdout
 * whenever a transformer is added, on whatever thread and at whatever time. A run that prints no
 * such line added none.
 */
public final class TransformerProbe {
  private TransformerProbe() {}

  public static void premain(String args, Instrumentation instrumentation) throws Exception {
    instrumentation.appendToSystemClassLoaderSearch(
        new JarFile(System.getProperty("lastcall.it.agentJar"), false));
    Instrumentation watched =
        (Instrumentation)
            Proxy.newProxyInstance(
                TransformerProbe.class.getClassLoader(),
                new Class<?>[] {Instrumentation.class},
                (proxy, method, methodArgs) -> {
                  if (method.getName().equals("addTransformer")) {
                    System.out.println("ADDED_TRANSFORMER " + methodArgs[0].getClass().getName());
                  }
                  try {
                    return method.invoke(instrumentation, methodArgs);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    Class.forName("dev.lastcall.agent.LastcallAgent", true, ClassLoader.getSystemClassLoader())
        .getMethod("premain", String.class, Instrumentation.class)
        .invoke(null, args, watched);
  }
}
