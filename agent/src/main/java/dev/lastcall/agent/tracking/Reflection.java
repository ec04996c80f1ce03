package dev.lastcall.agent.tracking;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Calls made by reflection on the application's client classes, which the agent cannot name. */
final class Reflection {
  private Reflection() {}

  /** Calls {@code method}; what the callee threw is thrown as is, as if called directly. */
  static Object call(Method method, Object target, Object... args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
