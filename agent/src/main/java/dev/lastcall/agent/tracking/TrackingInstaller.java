package dev.lastcall.agent.tracking;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.lastcall.agent.AgentLog;
import dev.lastcall.agent.registry.SharedRegistry;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Builds tracking ({@code track=auto}) on the {@code lastcall-instrument} thread that {@link
 * TrackingStart} starts; the only class here that names Byte Buddy's types. In order: the bridges
 * into the bootstrap class loader (all at once), the JDK modules that hold covered classes allowed
 * to read them, each bridge's function set, one {@code AgentBuilder} with one {@code type(...)
 * .transform(...)} per covered client, its transformer handed to the gate, then the covered classes
 * already loaded retransformed. Names are matched before anything else is looked at.
 */
final class TrackingInstaller {
  /** The JDK modules whose classes are instrumented: they must read the bridges' module. */
  private static final Set<String> JDK_MODULES = Set.of("java.net.http", "java.base");

  private TrackingInstaller() {}

  /**
   * Builds tracking on the calling thread and hands it to {@code gate}, then retransforms the
   * covered classes already loaded; false (and one stderr line) if it could not.
   */
  static boolean install(
      Instrumentation instrumentation,
      URI baseUrl,
      URI agentBaseUrl,
      SharedRegistry registry,
      TrackingGate gate) {
    Tracker tracker =
        new Tracker(new TaskAnswers(ApiOrigin.of(baseUrl), ApiOrigin.of(agentBaseUrl)), registry);
    try {
      injectBridges(instrumentation, bridges(tracker));
      AgentBuilder builder =
          withoutNexus()
              .disableClassFormatChanges()
              .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
              .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
              .with(new Failures(tracker))
              // Byte Buddy and the agent's own relocated OkHttp (dev.lastcall.shaded.okhttp3) are
              // never instrumented.
              .ignore(nameStartsWith("dev.lastcall.").or(nameStartsWith("net.bytebuddy.")));
      // Not installed by Byte Buddy: the gate, registered in premain, is the one transformer.
      ClassFileTransformer transformer = clients(builder).makeRaw();
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

  /**
   * A new {@code AgentBuilder.Default} that has not injected Byte Buddy's {@code Nexus}. Its
   * constructor's default initialization strategy sets the nexus up (a class injected into the
   * system class loader through {@code ClassInjector.UsingReflection}, which generates an {@code
   * Unsafe} accessor with Byte Buddy first): 350-450 ms on the 2-core machine, a {@code
   * sun.misc.Unsafe} warning on the application's stderr from JDK 24 on, and a class added to the
   * application's loader, all for a strategy that {@link #install} replaces at once with {@code
   * NoOp}. Byte Buddy reads its documented switch ({@link Nexus#PROPERTY}, relocated with it) once,
   * when the nexus's accessor is first used, so it is set only around that and restored after.
   */
  private static AgentBuilder.Default withoutNexus() {
    String before = System.getProperty(Nexus.PROPERTY);
    System.setProperty(Nexus.PROPERTY, "true");
    try {
      return new AgentBuilder.Default();
    } finally {
      if (before == null) {
        System.clearProperty(Nexus.PROPERTY);
      } else {
        System.setProperty(Nexus.PROPERTY, before);
      }
    }
  }

  /**
   * Each bootstrap bridge (by class name) and the function its {@code wrapper} field gets: what
   * code inlined into a client's classes calls.
   */
  private static Map<String, BiFunction<Object, Object, Object>> bridges(Tracker tracker) {
    Map<String, BiFunction<Object, Object, Object>> bridges = new LinkedHashMap<>();
    bridges.put("dev.lastcall.bootstrap.JdkHttpBridge", TeeingBodyHandler.wrapper(tracker));
    bridges.put("dev.lastcall.bootstrap.UrlConnectionBridge", UrlConnectionTee.wrapper(tracker));
    bridges.put("dev.lastcall.bootstrap.OkHttpBridge", OkHttpInterceptor.wrapper(tracker));
    bridges.put("dev.lastcall.bootstrap.ApacheClassicBridge", ApacheEntityTee.wrapper(tracker));
    return bridges;
  }

  /** One {@code type(...).transform(...)} per covered client, on the one builder. */
  private static AgentBuilder clients(AgentBuilder builder) {
    return builder
        .type(named(ClientClasses.JDK_CLIENT))
        .transform(
            advice(
                JdkHttpClientAdvice.class,
                named("sendAsync").and(takesArguments(4)).and(isPrivate())))
        .type(named(ClientClasses.URL_CONNECTION))
        .transform(
            advice(UrlConnectionAdvice.class, named("getInputStream").and(takesArguments(0))))
        .type(named(ClientClasses.OKHTTP_CLIENT))
        .transform(advice(OkHttpAdvice.class, isConstructor().and(takesArguments(1))))
        .type(named(ClientClasses.APACHE_CLASSIC).or(named(ClientClasses.APACHE_MINIMAL)))
        .transform(advice(ApacheClassicAdvice.class, named("doExecute").and(takesArguments(3))));
  }

  private static AgentBuilder.Transformer advice(
      Class<?> advice, ElementMatcher<? super MethodDescription> methods) {
    return (builder, type, loader, module, domain) -> builder.visit(Advice.to(advice).on(methods));
  }

  /** Covered classes loaded before the gate had a transformer: instrumented now. */
  private static void retransformLoaded(Instrumentation instrumentation) throws Exception {
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      if (ClientClasses.covers(loaded.getName().replace('.', '/'))
          && instrumentation.isModifiableClass(loaded)) {
        instrumentation.retransformClasses(loaded);
      }
    }
  }

  /**
   * Puts the bridges into the bootstrap class loader at once (from the agent jar's bytes, not
   * loaded classes), lets the JDK modules with covered classes read them, and sets each one's
   * function; once per JVM.
   */
  private static void injectBridges(
      Instrumentation instrumentation, Map<String, BiFunction<Object, Object, Object>> bridges)
      throws Exception {
    Map<String, byte[]> missing = new LinkedHashMap<>();
    ClassFileLocator jar =
        ClassFileLocator.ForClassLoader.of(TrackingInstaller.class.getClassLoader());
    for (String name : bridges.keySet()) {
      try {
        Class.forName(name, false, null);
      } catch (ClassNotFoundException notYet) {
        missing.put(name, jar.locate(name).resolve());
      }
    }
    if (!missing.isEmpty()) {
      // Defined straight into the bootstrap loader: appending a jar to its search path instead
      // would make HotSpot print a warning about class data sharing on the application's stderr.
      try {
        BootstrapInjection.define(instrumentation, missing);
      } catch (Exception | LinkageError e) {
        // A JDK whose internals differ: Byte Buddy's own way, slower but maintained for each JDK.
        ClassInjector.UsingUnsafe.Factory.resolve(instrumentation)
            .make(null, null)
            .injectRaw(missing);
      }
    }
    Module bridgeModule = null;
    for (Map.Entry<String, BiFunction<Object, Object, Object>> bridge : bridges.entrySet()) {
      Class<?> type = Class.forName(bridge.getKey(), true, null);
      bridgeModule = type.getModule(); // the bootstrap loader's unnamed module, for all of them
      type.getField("wrapper").set(null, bridge.getValue());
    }
    for (String name : JDK_MODULES) {
      Module jdk = ModuleLayer.boot().findModule(name).orElse(null);
      if (jdk != null && bridgeModule != null && !jdk.canRead(bridgeModule)) {
        instrumentation.redefineModule(
            jdk, Set.of(bridgeModule), Map.of(), Map.of(), Set.of(), Map.of());
      }
    }
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
