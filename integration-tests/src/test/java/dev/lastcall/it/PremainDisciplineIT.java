package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.it.probe.ClassLoadProbe;
import dev.lastcall.it.probe.ProbeApp;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * premain runs on the application's main thread before {@code main}: it must leave OkHttp, Okio,
 * Kotlin, Jackson, the JDK's TLS, JFR and JMX to the agent's background threads. A probe agent
 * attached first records the loading thread of every class under {@code dev/lastcall/shaded/},
 * {@code javax/net/ssl/}, {@code sun/security/ssl/}, {@code jdk/jfr/}, {@code javax/management/},
 * {@code sun/management/} and {@code java/lang/management/}.
 */
class PremainDisciplineIT {
  @TempDir Path dir;

  @SuppressWarnings("try") // the resource is held for its effect, not used
  @Test
  void premainLoadsNoBundledLibraryOnTheApplicationsThread() throws Exception {
    Path probeJar = dir.resolve("probe.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", ClassLoadProbe.class.getName());
    try (OutputStream out = Files.newOutputStream(probeJar);
        JarOutputStream jar = new JarOutputStream(out, manifest)) {
      // The probe's classes come from the class path; the jar only names its premain.
    }
    String classpath =
        ChildJvm.codeSources(ProbeApp.class).stream()
            .map(Path::toString)
            .collect(Collectors.joining(java.io.File.pathSeparator));
    List<String> command =
        List.of(
            ChildJvm.currentJava(),
            "-javaagent:" + probeJar,
            // https: the client's preparation sets up TLS (nothing listens there; the one warm
            // request is refused at once).
            "-javaagent:" + AgentJvm.agentJarSnapshot() + "=baseUrl=https://127.0.0.1:9,timeout=1s",
            "-cp",
            classpath,
            ProbeApp.class.getName());
    try (ChildJvm child =
        OutputOnFailure.watch(
            ChildJvm.start(
                command, Map.of("BLACKBOX_API_KEY", AgentJvm.randomKey()), null, null))) {
      assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.describe());
      List<String> loads =
          child.stdout().stream()
              .filter(line -> line.startsWith("LOAD "))
              .collect(Collectors.toList());
      assertTrue(child.stdout().contains("DONE"), child.describe());
      assertTrue(
          loads.stream()
              .anyMatch(line -> line.contains("dev/lastcall/shaded/okhttp3/OkHttpClient")),
          "the probe saw OkHttp load, so it works: "
              + loads.size()
              + " loads\n"
              + child.describe());
      assertTrue(
          loads.stream().anyMatch(line -> line.contains("dev/lastcall/shaded/jackson/")),
          "Jackson is loaded in the background too");
      assertTrue(
          loads.stream().anyMatch(line -> line.contains("sun/security/ssl/SSLContextImpl")),
          "the JDK's TLS is loaded in the background too");
      assertTrue(
          loads.stream().anyMatch(line -> line.contains(" jdk/jfr/FlightRecorder")),
          "the preparation thread asks JFR whether a recorder exists: off premain's thread too");
      List<String> jmx =
          loads.stream().filter(line -> line.contains(" javax/management/")).toList();
      assertTrue(
          jmx.isEmpty(),
          "nothing here uses JMX, so the agent creates no MBean server and registers no bean: "
              + jmx.subList(0, Math.min(5, jmx.size())));
      List<String> onMain =
          loads.stream().filter(line -> line.startsWith("LOAD main ")).collect(Collectors.toList());
      assertTrue(
          onMain.isEmpty(),
          onMain.size()
              + " bundled, TLS, JFR or JMX classes loaded on the application's thread, first: "
              + onMain.subList(0, Math.min(5, onMain.size())));
    }
  }
}
