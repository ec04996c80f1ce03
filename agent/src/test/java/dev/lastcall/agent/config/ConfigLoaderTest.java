package dev.lastcall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private final List<String> problems = new ArrayList<>();
  private final Properties properties = new Properties();

  private AgentConfig load(String args, Map<String, String> env) {
    return ConfigLoader.load(args, properties, env, problem -> problems.add(problem.line()));
  }

  @Test
  void defaultsWhenNothingIsConfigured() {
    AgentConfig config = load(null, Map.of());
    assertTrue(config.enabled());
    assertEquals(URI.create("https://cloud.blackbox.ai"), config.baseUrl());
    assertEquals(Duration.ofSeconds(10), config.timeout());
    assertEquals(256, config.concurrency());
    assertTrue(config.report().isEmpty());
    assertTrue(config.apiKeyFile().isEmpty());
    assertEquals(List.of(), problems);
  }

  @Test
  void agentArgumentsBeatSystemPropertiesBeatEnvironment() {
    properties.setProperty("lastcall.timeout", "3s");
    properties.setProperty("lastcall.concurrency", "64");
    AgentConfig config =
        load(
            "timeout=5s,baseUrl=http://127.0.0.1:8080/",
            Map.of(
                "LASTCALL_TIMEOUT",
                "7s",
                "LASTCALL_CONCURRENCY",
                "32",
                "LASTCALL_REPORT",
                "/tmp/r.json"));
    assertEquals(Duration.ofSeconds(5), config.timeout());
    assertEquals(64, config.concurrency());
    assertEquals(Path.of("/tmp/r.json"), config.report().orElseThrow());
    assertEquals(URI.create("http://127.0.0.1:8080"), config.baseUrl(), "trailing slash dropped");
    assertEquals(List.of(), problems);
  }

  @Test
  void durationSyntax() throws RefusedValue {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("PT10S"));
  }

  @Test
  void badDurationsFallBackToTheDefaultWithOneLineEach() {
    for (String bad : List.of("abc", "10", "-5s", "0s", "0ms", "1h", "", "5 s s", "+5s")) {
      problems.clear();
      AgentConfig config = load("timeout=" + bad, Map.of());
      assertEquals(Duration.ofSeconds(10), config.timeout(), bad);
      assertEquals(1, problems.size(), bad + ": " + problems);
      String line = problems.get(0);
      assertTrue(
          line.startsWith("invalid timeout \"" + bad.trim() + "\" (agent argument timeout)"), line);
      assertTrue(line.contains("expected a positive duration with a unit"), line);
      assertTrue(line.endsWith("using 10s"), line);
    }
  }

  @Test
  void badConcurrency() {
    for (String bad : List.of("0", "-1", "many", "5000")) {
      problems.clear();
      assertEquals(256, load("concurrency=" + bad, Map.of()).concurrency());
      assertEquals(1, problems.size());
      assertTrue(
          problems.get(0).contains("expected a whole number from 1 to 4096"), problems.get(0));
    }
  }

  @Test
  void badEnabled() {
    properties.setProperty("lastcall.enabled", "maybe");
    assertTrue(load(null, Map.of()).enabled());
    assertEquals(
        List.of(
            "invalid enabled \"maybe\" (system property lastcall.enabled): expected true or false;"
                + " using true"),
        problems);
  }

  @Test
  void disabledOnRequest() {
    assertFalse(load(null, Map.of("LASTCALL_ENABLED", "false")).enabled());
    assertEquals(List.of(), problems);
  }

  @Test
  void aBaseUrlThatIsNotAUrlDisablesTheAgent() {
    for (String bad :
        List.of(
            "not a url",
            "ftp://example.com",
            "cloud.blackbox.ai",
            "http://",
            "https://x/?q=1",
            "https://user:pw@x.example")) {
      problems.clear();
      AgentConfig config = load("baseUrl=" + bad, Map.of());
      assertFalse(config.enabled(), bad);
      assertEquals(1, problems.size(), bad + ": " + problems);
      assertTrue(problems.get(0).startsWith("invalid baseUrl"), problems.get(0));
      assertTrue(problems.get(0).endsWith("the agent is disabled"), problems.get(0));
    }
  }

  @Test
  void theV1AgentApiHasItsOwnBaseUrlAndKeyFile(@TempDir Path dir) {
    AgentConfig defaults = load(null, Map.of());
    assertEquals(URI.create("https://agent.blackbox.ai/api/v1"), defaults.agentBaseUrl());
    assertTrue(defaults.agentApiKeyFile().isEmpty());

    Path keyFile = dir.resolve("agent-key");
    AgentConfig set =
        load(
            "agentBaseUrl=http://127.0.0.1:9/api/v1/",
            Map.of("LASTCALL_AGENT_API_KEY_FILE", keyFile.toString()));
    assertEquals(URI.create("http://127.0.0.1:9/api/v1"), set.agentBaseUrl());
    assertEquals(keyFile, set.agentApiKeyFile().orElseThrow());
    assertEquals(List.of(), problems);
  }

  @Test
  void aRefusedAgentBaseUrlDisablesTheAgentInOneLineWithoutItsPassword() {
    AgentConfig config = load("agentBaseUrl=https://user:pw@agent.example/api/v1", Map.of());
    assertFalse(config.enabled());
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("invalid agentBaseUrl"), problems.get(0));
    assertTrue(problems.get(0).endsWith("the agent is disabled"), problems.get(0));
    assertFalse(problems.get(0).contains("pw"), problems.get(0));
    assertTrue(config.disabledBecause().orElseThrow().startsWith("agentBaseUrl "));
  }

  @Test
  void plainHttpToANonLoopbackHostIsRefusedUnlessAllowed() {
    AgentConfig refused = load("baseUrl=http://tasks.example.com", Map.of());
    assertFalse(refused.enabled());
    assertTrue(problems.get(0).contains("clear text"), problems.get(0));

    problems.clear();
    AgentConfig allowed = load("baseUrl=http://tasks.example.com,allowInsecure=true", Map.of());
    assertTrue(allowed.enabled());
    assertEquals(List.of(), problems);

    for (String loopback : List.of("http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9")) {
      problems.clear();
      assertTrue(load("baseUrl=" + loopback, Map.of()).enabled(), loopback);
      assertEquals(List.of(), problems);
    }
  }

  @Test
  void unknownKeysAreNamedWithTheKnownOnes() {
    properties.setProperty("lastcall.timout", "5s");
    load("deadline=5s", Map.of("LASTCALL_TIMEOUTS", "1s"));
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(
        problems.stream()
            .allMatch(
                p ->
                    p.startsWith("unknown configuration key")
                        && p.contains(
                            "known keys: enabled, baseUrl, allowInsecure, timeout, concurrency,"
                                + " report, apiKeyFile, journal, leaseTtl, journalPasswordFile,"
                                + " maxRuntime, caFile, proxy")),
        problems.toString());
  }

  @Test
  void anApiKeyOnTheCommandLineIsRefusedAndNeverRepeated() {
    String secret = "bb_0123456789abcdef0123456789abcdef";
    properties.setProperty("lastcall.apiKey", secret);
    load("apiKey=" + secret + ",token=" + secret, Map.of());
    assertEquals(3, problems.size(), problems.toString());
    for (String problem : problems) {
      assertFalse(problem.contains("0123456789abcdef"), problem);
      assertTrue(problem.contains("BLACKBOX_API_KEY"), problem);
    }
  }

  @Test
  void malformedAgentArguments() {
    AgentConfig config = load("timeout=5s,,verbose,timeout=6s", Map.of());
    assertEquals(Duration.ofSeconds(6), config.timeout());
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(
        problems.get(0).startsWith("agent argument \"verbose\" is not key=value"), problems.get(0));
    assertTrue(problems.get(1).contains("given more than once"), problems.get(1));
  }

  @Test
  void reportMustNotBeADirectory(@TempDir Path dir) {
    AgentConfig config = load("report=" + dir, Map.of());
    assertTrue(config.report().isEmpty());
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("not a directory"), problems.get(0));
  }

  @Test
  void controlCharactersInValuesAreEscapedInMessages() {
    load("timeout=5\u001b[2Js", Map.of());
    assertFalse(problems.get(0).contains("\u001b"));
    assertTrue(problems.get(0).contains("\\u001b"));
  }

  static final String PEM_ACCEPTED = "expected a PEM file of -----BEGIN CERTIFICATE----- blocks";

  @Test
  void caFileFromEachSource(@TempDir Path dir) throws IOException {
    Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    assertEquals(pem, load("caFile=" + pem, Map.of()).caFile().orElseThrow());
    properties.setProperty("lastcall.caFile", pem.toString());
    assertEquals(pem, load(null, Map.of()).caFile().orElseThrow());
    properties.clear();
    assertEquals(
        pem, load(null, Map.of("LASTCALL_CA_FILE", pem.toString())).caFile().orElseThrow());
    assertTrue(load(null, Map.of()).caFile().isEmpty(), "none by default");
    assertEquals(List.of(), problems);
  }

  @Test
  void aMissingCaFileIsOneLineAndTheDefaultTrust(@TempDir Path dir) {
    Path missing = dir.resolve("missing.pem");
    AgentConfig config = load("caFile=" + missing, Map.of());
    assertTrue(config.caFile().isEmpty());
    assertTrue(config.enabled());
    assertEquals(
        List.of(
            "invalid caFile \""
                + missing
                + "\" (agent argument caFile): does not exist; "
                + PEM_ACCEPTED
                + "; using the JVM's default trust only"),
        problems);
  }

  @Test
  void aCaFileWithoutCertificatesIsOneLine(@TempDir Path dir) throws IOException {
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");
    AgentConfig config = load(null, Map.of("LASTCALL_CA_FILE", key.toString()));
    assertTrue(config.caFile().isEmpty());
    assertEquals(
        List.of(
            "invalid caFile \""
                + key
                + "\" (environment variable LASTCALL_CA_FILE): holds no certificate; "
                + PEM_ACCEPTED
                + "; using the JVM's default trust only"),
        problems);
  }

  @Test
  void aCaFileThatIsADirectoryOrBlankIsOneLine(@TempDir Path dir) {
    properties.setProperty("lastcall.caFile", dir.toString());
    assertTrue(load(null, Map.of()).caFile().isEmpty());
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(
        problems
            .get(0)
            .startsWith(
                "invalid caFile \""
                    + dir
                    + "\" (system property lastcall.caFile): is a directory;"),
        problems.get(0));
    problems.clear();
    properties.clear();
    assertTrue(load("caFile= ", Map.of()).caFile().isEmpty());
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).endsWith("; using the JVM's default trust only"), problems.get(0));
  }

  @Test
  void anUnreadableCaFileIsOneLine(@TempDir Path dir) throws IOException {
    Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    pem.toFile().setReadable(false, false);
    assumeFalse(Files.isReadable(pem), "root reads every file");
    assertTrue(load("caFile=" + pem, Map.of()).caFile().isEmpty());
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("): cannot be read; " + PEM_ACCEPTED), problems.get(0));
  }

  @Test
  void proxyFromEachSource() {
    assertEquals(
        "http://p.corp:3128 (with credentials)",
        load("proxy=http://u:pw@p.corp:3128", Map.of()).proxy().orElseThrow().toString());
    properties.setProperty("lastcall.proxy", "none");
    assertTrue(load(null, Map.of()).proxy().orElseThrow().isNone());
    properties.clear();
    assertEquals(
        "p:1", load(null, Map.of("LASTCALL_PROXY", "p:1")).proxy().orElseThrow().address());
    assertTrue(load(null, Map.of()).proxy().isEmpty(), "unset by default");
    assertEquals(List.of(), problems);
  }

  @Test
  void trackIsAutoUnlessTurnedOff() {
    assertTrue(load(null, Map.of()).track());
    assertTrue(!load("track=off", Map.of()).track());
    assertTrue(load("track=AUTO", Map.of()).track());
    assertTrue(!load(null, Map.of("LASTCALL_TRACK", "off")).track());
    assertEquals(List.of(), problems);

    assertTrue(load("track=maybe", Map.of()).track(), "a refused value keeps the default");
    assertEquals(1, problems.size());
    assertEquals(
        "invalid track \"maybe\" (agent argument track): accepted: auto (track the tasks the"
            + " application creates) or off; using auto",
        problems.get(0));
  }

  @Test
  void aBadProxyIsOneLineThatNeverRepeatsThePassword() {
    String password = "s3cr3t-proxy-pw";
    List<ConfigProblem> seen = new ArrayList<>();
    AgentConfig config =
        ConfigLoader.load(
            "proxy=https://alice:"
                + password
                + "@p.corp:3128,proxy=socks://bob:"
                + password
                + "@x:1",
            properties,
            Map.of(),
            seen::add);
    assertTrue(config.proxy().isEmpty());
    assertEquals(2, seen.size(), seen.toString());
    for (ConfigProblem problem : seen) {
      assertFalse(problem.line().contains(password), problem.line());
      assertFalse(problem.value().orElse("").contains(password), problem.line());
      assertFalse(problem.line().contains("alice") || problem.line().contains("bob"));
    }
    assertTrue(seen.get(0).line().contains("given more than once"), seen.get(0).line());
    assertEquals(
        "invalid proxy \"socks://...@x:1\" (agent argument proxy): scheme socks is not supported"
            + " (the proxy is spoken to in plain http; https requests still go through it"
            + " encrypted, by CONNECT); expected http://[user:password@]host:port or none; using"
            + " the JVM's proxy settings, else HTTPS_PROXY, else direct",
        seen.get(1).line());
    assertFalse(config.toString().contains(password));
  }

  @Test
  void aRedisJournalIsAUrlNotADirectoryNamedRedis(@TempDir Path dir) {
    String cwd = System.getProperty("user.dir");
    AgentConfig config = load("journal=redis://u:s3cr3t-pw@127.0.0.1:6390/2,leaseTtl=2s", Map.of());
    assertEquals(List.of(), problems);
    JournalLocation journal = config.journal().orElseThrow();
    assertTrue(journal.directory().isEmpty());
    assertEquals(URI.create("redis://u:s3cr3t-pw@127.0.0.1:6390/2"), journal.redis().orElseThrow());
    assertEquals("redis://...@127.0.0.1:6390/2", journal.toString());
    assertFalse(config.toString().contains("s3cr3t-pw"), config.toString());
    assertEquals(Duration.ofSeconds(2), config.leaseTtl());
    assertFalse(Files.exists(Path.of(cwd, "redis:")), "no directory named redis: is made");
    assertTrue(load("journal=rediss://host", Map.of()).journal().orElseThrow().redis().isPresent());
    assertEquals(
        dir, load("journal=" + dir, Map.of()).journal().orElseThrow().directory().orElseThrow());
  }

  @Test
  void aJournalThatIsNeitherADirectoryNorARedisUrlIsRefusedInOneLine() {
    for (String bad :
        List.of(
            "http://127.0.0.1:6379",
            "redis:/x",
            "redis://:pw-not-shown@/0",
            "redis://h:1/db",
            "redis://h:1/0?pw=x")) {
      problems.clear();
      AgentConfig config = load("journal=" + bad, Map.of());
      assertTrue(config.journal().isEmpty(), bad);
      assertEquals(1, problems.size(), problems.toString());
      String line = problems.get(0);
      assertTrue(line.startsWith("invalid journal "), line);
      assertTrue(line.contains("redis://[user:password@]host[:port][/db]"), line);
      assertTrue(line.endsWith("; using no journal"), line);
      assertFalse(line.contains("pw-not-shown"), line);
    }
  }

  @Test
  void leaseTtlIsADurationFromOneSecondToAnHour() {
    assertEquals(Duration.ofSeconds(30), load(null, Map.of()).leaseTtl());
    for (String bad : List.of("500ms", "2h", "soon")) {
      problems.clear();
      assertEquals(Duration.ofSeconds(30), load("leaseTtl=" + bad, Map.of()).leaseTtl());
      assertEquals(1, problems.size(), problems.toString());
      assertTrue(problems.get(0).startsWith("invalid leaseTtl"), problems.get(0));
    }
  }
}
