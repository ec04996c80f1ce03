package dev.lastcall.testsupport;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * A class loader that loads {@code dev.lastcall.*} classes from its own URLs before asking its
 * parent, the way a plugin host or a servlet container loads an application's private copy of a
 * library. Everything else, and any {@code dev.lastcall.*} class its URLs do not hold (the tests
 * and apps that create it), comes from the parent. Used to prove that an application's private copy
 * of the Lastcall API still shares the one registry of the JVM.
 */
public final class ChildFirstClassLoader extends URLClassLoader {
  static {
    registerAsParallelCapable();
  }

  private static final String CHILD_FIRST_PREFIX = "dev.lastcall.";

  public ChildFirstClassLoader(URL[] urls, ClassLoader parent) {
    super("lastcall-child-first", urls, parent);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(CHILD_FIRST_PREFIX)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        try {
          loaded = findClass(name);
        } catch (ClassNotFoundException notOurs) {
          loaded = super.loadClass(name, false);
        }
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }
}
