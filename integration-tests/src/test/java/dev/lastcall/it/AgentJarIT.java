package dev.lastcall.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** The shaded agent jar: everything bundled is relocated, and it is a usable agent. */
class AgentJarIT {
  private static final String OURS = "dev/lastcall/";

  @Test
  void everyBundledClassIsUnderDevLastcall() throws IOException {
    List<String> outside = new ArrayList<>();
    int classes = 0;
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile(), false)) {
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        if (!name.endsWith(".class")) {
          continue;
        }
        classes++;
        if (!allowed(name)) {
          outside.add(name);
        }
      }
    }
    assertTrue(classes > 0, "no classes in the agent jar");
    assertTrue(
        outside.isEmpty(),
        outside.size()
            + " classes outside "
            + OURS
            + " (not relocated): "
            + (outside.size() > 30 ? outside.subList(0, 30) + " ..." : outside));
  }

  /** Classes may live under dev/lastcall/, or under META-INF/versions/N/dev/lastcall/. */
  static boolean allowed(String name) {
    if (name.startsWith(OURS)) {
      return true;
    }
    if (name.startsWith("META-INF/versions/")) {
      String rest = name.substring("META-INF/versions/".length());
      int slash = rest.indexOf('/');
      return slash > 0 && rest.substring(slash + 1).startsWith(OURS);
    }
    // No class belongs anywhere else in META-INF either (module-info, stray classes).
    return false;
  }

  @Test
  void noServiceFileNamesAnUnrelocatedProvider() throws IOException {
    List<String> problems = new ArrayList<>();
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile(), false)) {
      for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
        JarEntry entry = entries.nextElement();
        if (entry.isDirectory() || !entry.getName().startsWith("META-INF/services/")) {
          continue;
        }
        String text = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
          String provider = line.replaceAll("#.*", "").trim();
          if (!provider.isEmpty() && !provider.startsWith("dev.lastcall.")) {
            problems.add(entry.getName() + " -> " + provider);
          }
        }
      }
    }
    assertTrue(
        problems.isEmpty(), "service files naming classes outside dev.lastcall: " + problems);
  }

  @Test
  void manifestNamesPremainAndAgentClassesThatExistAndBundlesTheApi() throws IOException {
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile(), false)) {
      Manifest manifest = jar.getManifest();
      assertNotNull(manifest, "agent jar has no manifest");
      Attributes main = manifest.getMainAttributes();
      for (String attribute : List.of("Premain-Class", "Agent-Class")) {
        String value = main.getValue(attribute);
        assertNotNull(value, "manifest lacks " + attribute);
        String entry = value.trim().replace('.', '/') + ".class";
        assertNotNull(
            jar.getJarEntry(entry), attribute + " names " + value + " but the jar has no " + entry);
      }
      for (String api :
          List.of(
              "dev/lastcall/TaskRegistry.class",
              "dev/lastcall/TrackedTask.class",
              "dev/lastcall/TaskIds.class")) {
        assertNotNull(jar.getJarEntry(api), "the agent jar must bundle the api: missing " + api);
      }
    }
  }
}
