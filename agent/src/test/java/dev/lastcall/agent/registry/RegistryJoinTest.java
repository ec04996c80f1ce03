package dev.lastcall.agent.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.TaskRegistry;
import dev.lastcall.TrackedTask;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Joining a copy of the api that keeps its own registrations (it initialised before the agent was
 * attached) into the agent's registry: what it held, what it registers and deregisters later, in
 * both wire versions, and nothing at all for a copy that already shares the agent's.
 */
class RegistryJoinTest {
  private final SharedRegistry registry = SharedRegistry.connect();

  @AfterEach
  void clear() {
    for (String id : registry.snapshot()) {
      registry.untrack(id);
    }
  }

  /** Loads {@code fake} (and its handle class) in a loader of its own, as a fat jar's loader. */
  private static Class<?> isolated(Class<?> fake) throws Exception {
    ClassLoader parent = RegistryJoinTest.class.getClassLoader();
    ClassLoader own =
        new ClassLoader("fat-jar", parent) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(fake.getName())) {
              return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
              Class<?> loaded = findLoadedClass(name);
              if (loaded != null) {
                return loaded;
              }
              try (InputStream in = parent.getResourceAsStream(name.replace('.', '/') + ".class")) {
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
              } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
              }
            }
          }
        };
    return Class.forName(fake.getName(), true, own);
  }

  private static Object register(Class<?> copy, String id, Long deadline) throws Exception {
    Method register = copy.getMethod("register", String.class, Long.class);
    return register.invoke(null, id, deadline);
  }

  private static void close(Class<?> copy, String id, Object handle) throws Exception {
    copy.getMethod("close", String.class, Object.class).invoke(null, id, handle);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(classes = {FakeCopy.class, FakeOldCopy.class})
  void whatTheCopyHeldAndLaterRegistersIsTheAgentsToo(Class<?> fake) throws Exception {
    Class<?> copy = isolated(fake);
    Object before = register(copy, "held-1", null);

    assertEquals(1, RegistryJoin.join(copy, registry));

    assertSame(before, registry.handle("held-1"), "the copy's own handle");
    assertEquals(FoundBy.JOINED, registry.foundBy("held-1"));
    Object later = register(copy, "later-1", null);
    assertSame(later, registry.handle("later-1"));
    assertEquals(FoundBy.JOINED, registry.foundBy("later-1"));

    close(copy, "held-1", before);
    assertFalse(registry.isRegistered("held-1"), "closed in the app, gone from the agent's");
    assertEquals(Set.of("later-1"), registry.snapshot());
  }

  @Test
  void aLimitSetThroughTheCopyComesAlong() throws Exception {
    Class<?> copy = isolated(FakeCopy.class);
    Object handle = register(copy, "limited-1", 12345L);
    RegistryJoin.join(copy, registry);
    assertEquals(12345L, registry.limitOf("limited-1", handle));
  }

  @Test
  void theCopyClosingAnOldHandleLeavesTheAgentsNewerRegistration() throws Exception {
    Class<?> copy = isolated(FakeCopy.class);
    Object handle = register(copy, "both-1", null);
    RegistryJoin.join(copy, registry);
    TrackedTask own = TaskRegistry.global().register("both-1"); // the agent's side registers again
    close(copy, "both-1", handle);
    assertTrue(registry.isRegistered("both-1"));
    assertNotSame(handle, registry.handle("both-1"));
    assertEquals(FoundBy.API, registry.foundBy("both-1"));
    own.close();
  }

  @Test
  void aCopyThatSharesTheAgentsRegistryIsLeftAlone() throws Exception {
    assertEquals(-1, RegistryJoin.join(TaskRegistry.class, registry));
  }

  @Test
  void tasksRegisteredThroughTheApiOrByTrackingSaySo() {
    TrackedTask task = TaskRegistry.global().register("api-1");
    registry.track("tracked-1", new Object());
    assertEquals(FoundBy.API, registry.foundBy("api-1"));
    assertEquals(FoundBy.TRACKING, registry.foundBy("tracked-1"));
    assertEquals(null, registry.foundBy("nobody-1"));
    task.close();
  }
}
