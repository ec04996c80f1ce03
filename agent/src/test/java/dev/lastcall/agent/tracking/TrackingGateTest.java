package dev.lastcall.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.instrument.ClassFileTransformer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gate between class loading and the transformer built on tracking's own thread. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TrackingGateTest {
  private static final byte[] CHANGED = {1, 2, 3};
  private static final ClassFileTransformer BUILT =
      new ClassFileTransformer() {
        @Override
        public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> redefined,
            java.security.ProtectionDomain domain,
            byte[] buffer) {
          return CHANGED;
        }
      };

  private final TrackingGate gate = new TrackingGate();

  private byte[] load(String internalName) throws Exception {
    return gate.transform(null, null, internalName, null, null, new byte[0]);
  }

  @Test
  void aClassTrackingDoesNotCoverLoadsWithoutWaitingOrWaking() throws Exception {
    assertNull(load("java/lang/String"));
    long start = System.nanoTime();
    gate.awaitNeed(200);
    assertTrue(
        System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200),
        "the build held off its whole time: nothing covered loaded");
  }

  @Test
  void theFirstCoveredClassWakesTheBuildAndWaitsForIt() throws Exception {
    CompletableFuture<byte[]> loading =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return load("jdk/internal/net/http/HttpClientImpl");
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    gate.awaitNeed(TimeUnit.MINUTES.toMillis(10)); // returns only because the load woke it
    assertFalse(loading.isDone(), "the covered class waits for the transformer");
    gate.ready(BUILT);
    assertArrayEquals(CHANGED, loading.get(10, TimeUnit.SECONDS));
  }

  @Test
  void withNoTransformerBuiltACoveredClassLoadsUnchanged() throws Exception {
    gate.ready(null);
    assertNull(load("sun/net/www/protocol/http/HttpURLConnection"));
  }
}
