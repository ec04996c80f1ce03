package dev.lastcall.agent.registry;

import dev.lastcall.TaskRegistry;
import dev.lastcall.internal.SharedState;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * At attach, brings into the agent's one registry the copies of the api that could not find it.
 *
 * <p>A copy of {@code TaskRegistry} looks for the system class loader's copy once, when it is
 * initialised. In a JVM started without the agent, a copy that a fat-jar or web-app class loader
 * loaded (Spring Boot's {@code BOOT-INF/lib}, a servlet container's {@code WEB-INF/lib}) found none
 * and keeps registrations of its own, which no later lookup changes. This class finds every loaded
 * {@code dev.lastcall.TaskRegistry} through {@link Instrumentation#getAllLoadedClasses()}, reads
 * each one's state in the version it speaks ({@link SharedState#heldBy}: older copies through the
 * positional {@code sharedStateV1}), and for each that holds registrations of its own:
 *
 * <ol>
 *   <li>listens to its registrations and deregistrations from now on (forwarding each to the
 *       agent's registry, with its time limit), then
 *   <li>copies what it holds now; a registration racing the two is seen by both, which is harmless.
 * </ol>
 *
 * The handles stay the copy's own, so a {@code TrackedTask} closed in the application ends the
 * agent's registration too, and {@link SharedRegistry#foundBy} reports such tasks as {@link
 * FoundBy#JOINED}. Not carried across: the copy's time-limit listeners and cancel on demand, which
 * stay unanswered in that copy.
 */
public final class RegistryJoin {
  private static final String TASK_REGISTRY = TaskRegistry.class.getName();

  private RegistryJoin() {}

  /**
   * What the join did.
   *
   * @param copies the copies whose registrations were joined
   * @param tasks the tasks they held at the join
   * @param problems one line per copy that could not be read (an unknown or broken version)
   */
  public record Result(int copies, int tasks, List<String> problems) {}

  /** Joins every loaded copy of the api other than the agent's own. Never throws. */
  public static Result joinLoaded(Instrumentation instrumentation, SharedRegistry registry) {
    int copies = 0;
    int tasks = 0;
    List<String> problems = new ArrayList<>();
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      if (!loaded.getName().equals(TASK_REGISTRY) || loaded == TaskRegistry.class) {
        continue;
      }
      try {
        int joined = join(loaded, registry);
        if (joined >= 0) {
          copies++;
          tasks += joined;
        }
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        problems.add(
            "the copy of "
                + TASK_REGISTRY
                + " in "
                + loaded.getClassLoader()
                + " could not be joined, its tasks are not protected: "
                + e);
      }
    }
    return new Result(copies, tasks, List.copyOf(problems));
  }

  /**
   * Joins the state of {@code copy}, a {@code TaskRegistry} class of another loader.
   *
   * @return how many tasks it held, or -1 if it already shares the agent's registry
   */
  static int join(Class<?> copy, SharedRegistry registry) throws ReflectiveOperationException {
    SharedState theirs = SharedState.heldBy(copy);
    if (theirs.sameRegistrationsAs(registry.state())) {
      return -1; // it found the agent's copy (it was initialised after the attach, or just now)
    }
    ClassLoader loader = copy.getClassLoader();
    theirs.setRegistrationListener(new Forward(theirs, registry));
    theirs.setDeregistrationListener(new Leave(theirs, registry, loader));
    int held = 0;
    for (Map.Entry<String, Object> registration : theirs.registrations().entrySet()) {
      String id = registration.getKey();
      Object handle = registration.getValue();
      registry.join(id, handle, theirs.deadline(id, handle));
      held++;
    }
    return held;
  }

  /** Forwards a registration of the joined copy, with its limit. */
  private static final class Forward implements Consumer<String> {
    private final SharedState theirs;
    private final SharedRegistry registry;

    Forward(SharedState theirs, SharedRegistry registry) {
      this.theirs = theirs;
      this.registry = registry;
    }

    @Override
    public void accept(String id) {
      Object handle = theirs.handle(id);
      if (handle != null) {
        registry.join(id, handle, theirs.deadline(id, handle));
      }
    }
  }

  /** Forwards a deregistration of the joined copy, unless it registered the id again since. */
  private static final class Leave implements Consumer<String> {
    private final SharedState theirs;
    private final SharedRegistry registry;
    private final ClassLoader loader;

    Leave(SharedState theirs, SharedRegistry registry, ClassLoader loader) {
      this.theirs = theirs;
      this.registry = registry;
      this.loader = loader;
    }

    @Override
    public void accept(String id) {
      if (!theirs.isRegistered(id)) {
        registry.leave(id, loader);
      }
    }
  }
}
