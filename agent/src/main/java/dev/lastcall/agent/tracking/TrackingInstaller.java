package dev.lastcall.agent.tracking;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.registry.SharedRegistry;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.utility.JavaModule;

/**
 * Builds tracking ({@code track=auto}) on the {@code lastcall-instrument} thread that {@link
 * TrackingStart} starts; the only class here that names Byte Buddy's types. In order: the bridge
 * into the bootstrap class loader, the JDK's {@code java.net.http} module allowed to read it, the
 * bridge's wrapper set, one {@code AgentBuilder}'s transformer handed to the gate, then the covered
 * classes already loaded retransformed. Names are matched before anything else is looked at.
 */
final class TrackingInstaller {
  static final String BRIDGE = "dev.lastcall.bootstrap.JdkHttpBridge";

  private TrackingInstaller() {}

  /**
   * Builds tracking on the calling thread and hands it to {@code gate}, then retransforms the
   * covered classes already loaded; false (and one stderr line) if it could not.
   */
  static boolean install(
      Instrumentation instrumentation, URI baseUrl, SharedRegistry registry, TrackingGate gate) {
    Tracker tracker = new Tracker(new TaskAnswers(ApiOrigin.of(baseUrl)), registry);
    try {
      Class<?> bridge = injectBridge(instrumentation);
      Field wrapper = bridge.getField("wrapper");
      wrapper.set(null, TeeingBodyHandler.wrapper(tracker));
      ClassFileTransformer transformer =
          new AgentBuilder.Default()
              .disableClassFormatChanges()
              .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
              .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
              .with(new Failures(tracker))
              .ignore(nameStartsWith("dev.lastcall.").or(nameStartsWith("net.bytebuddy.")))
              .type(named(TrackingGate.JDK_CLIENT))
              .transform(
                  (builder, type, loader, module, domain) ->
                      builder.visit(
                          Advice.to(JdkHttpClientAdvice.class)
                              .on(named("sendAsync").and(takesArguments(4)).and(isPrivate()))))
              // Not installed by Byte Buddy: the gate, registered in premain, is the one
              // transformer.
              .makeRaw();
      gate.ready(transformer);
      retransformLoaded(instrumentation);
      return true;
    } catch (Throwable t) {
      gate.ready(null);
      AgentLog.line(
          "tracking is off, the rest of the agent works: could not instrument the application's"
              + " HTTP clients ("
              + t
              + ")");
      return false;
    }
  }

  /** Covered classes loaded before the gate had a transformer: instrumented now. */
  private static void retransformLoaded(Instrumentation instrumentation) throws Exception {
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      if (TrackingGate.covers(loaded.getName().replace('.', '/'))
          && instrumentation.isModifiableClass(loaded)) {
        instrumentation.retransformClasses(loaded);
      }
    }
  }

  /**
   * Puts the bridge into the bootstrap class loader (from the agent jar's bytes, not a loaded
   * class) and lets {@code java.net.http} read it, once per JVM.
   */
  private static Class<?> injectBridge(Instrumentation instrumentation) throws Exception {
    Class<?> bridge;
    try {
      bridge = Class.forName(BRIDGE, false, null);
    } catch (ClassNotFoundException notYet) {
      byte[] bytes =
          ClassFileLocator.ForClassLoader.of(TrackingInstaller.class.getClassLoader())
              .locate(BRIDGE)
              .resolve();
      // Defined straight into the bootstrap loader: appending a jar to its search path instead
      // would make HotSpot print a warning about class data sharing on the application's stderr.
      ClassInjector.UsingUnsafe.Factory.resolve(instrumentation)
          .make(null, null)
          .injectRaw(Map.of(BRIDGE, bytes));
      bridge = Class.forName(BRIDGE, true, null);
    }
    Module http = ModuleLayer.boot().findModule("java.net.http").orElse(null);
    if (http != null && !http.canRead(bridge.getModule())) {
      instrumentation.redefineModule(
          http, Set.of(bridge.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
    }
    return bridge;
  }

  /** Byte Buddy's errors, counted by the tracker: a class it could not transform runs unchanged. */
  private static final class Failures extends AgentBuilder.Listener.Adapter {
    private final Tracker tracker;

    Failures(Tracker tracker) {
      this.tracker = tracker;
    }

    @Override
    public void onError(
        String typeName,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        Throwable throwable) {
      tracker.failed(throwable);
    }

    @Override
    public void onDiscovery(
        String typeName, ClassLoader classLoader, JavaModule module, boolean loaded) {}

    @Override
    public void onTransformation(
        TypeDescription typeDescription,
        ClassLoader classLoader,
        JavaModule module,
        boolean loaded,
        net.bytebuddy.dynamic.DynamicType dynamicType) {}
  }
}
