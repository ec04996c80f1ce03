package dev.lastcall.agent.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Puts classes into the bootstrap class loader, for tracking's bridges. Byte Buddy's {@code
 * ClassInjector.UsingUnsafe} does the same by generating an accessor class with Byte Buddy itself,
 * which took 350-450 ms of the first covered class's wait on the 2-core machine (it loads and runs
 * much of Byte Buddy's code generation); this loads one small precompiled class ({@link
 * BootstrapDefiner}) into a class loader of its own, exports {@code jdk.internal.misc} to that
 * loader's unnamed module only, and lets it call {@code Unsafe.defineClass}.
 */
final class BootstrapInjection {
  private static final String DEFINER = "dev.lastcall.agent.tracking.BootstrapDefiner";

  private BootstrapInjection() {}

  /** Defines {@code classes} (binary name to class file) in the bootstrap loader. */
  static void define(Instrumentation instrumentation, Map<String, byte[]> classes)
      throws Exception {
    Isolated loader = new Isolated(BootstrapInjection.class.getClassLoader());
    Class<?> definer = loader.defineDefiner();
    Module base = Object.class.getModule();
    instrumentation.redefineModule(
        base,
        Set.of(),
        Map.of("jdk.internal.misc", Set.of(definer.getModule())),
        Map.of(),
        Set.of(),
        Map.of());
    @SuppressWarnings("unchecked") // BootstrapDefiner is a Consumer<Map<String, byte[]>>
    Consumer<Map<String, byte[]>> define =
        (Consumer<Map<String, byte[]>>) definer.getDeclaredConstructor().newInstance();
    define.accept(classes);
  }

  /** The loader whose unnamed module alone is given {@code jdk.internal.misc}. */
  private static final class Isolated extends ClassLoader {
    Isolated(ClassLoader parent) {
      super("lastcall-bootstrap-injection", parent);
    }

    Class<?> defineDefiner() throws IOException {
      byte[] bytes;
      try (InputStream in = getParent().getResourceAsStream(DEFINER.replace('.', '/') + ".class")) {
        if (in == null) {
          throw new IOException(DEFINER + " is missing from the agent jar");
        }
        bytes = in.readAllBytes();
      }
      // Defined here, not delegated: the parent never loads it.
      return defineClass(DEFINER, bytes, 0, bytes.length);
    }
  }
}
