package dev.lastcall.agent.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.agent.config.AgentConfig;
import dev.lastcall.agent.config.ConfigLoader;
import dev.lastcall.client.TasksClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caFile's certificates, parsed when the client is built (the loader only checked the file).
 */
class ClientFactoryTest {
  static final String KEY = "bb_0123456789abcdef0123456789abcdef";

  @TempDir Path dir;
  final List<String> lines = new ArrayList<>();

  AgentConfig configWithCaFile(Path file) {
    List<String> problems = new ArrayList<>();
    AgentConfig config =
        ConfigLoader.load(
            "caFile=" + file + ",baseUrl=https://127.0.0.1:1",
            new Properties(),
            Map.of(),
            problem -> problems.add(problem.line()));
    assertEquals(List.of(), problems, "the loader's cheap check passes");
    return config;
  }

  /** A real CA certificate as PEM: the first of the JDK's own trust store. */
  static X509Certificate someCa() throws Exception {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    return ((X509TrustManager) factory.getTrustManagers()[0]).getAcceptedIssuers()[0];
  }

  static String pem(X509Certificate certificate) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  @Test
  void theCaFilesCertificatesAreAddedSilently() throws Exception {
    X509Certificate ca = someCa();
    Path file = Files.writeString(dir.resolve("ca.pem"), pem(ca));

    assertEquals(List.of(ca), ClientFactory.addedTrust(configWithCaFile(file), lines::add));
    assertEquals(List.of(), lines);
  }

  @Test
  void aDamagedCertificateIsOneLineAndTheClientKeepsTheDefaultTrust() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("ca.pem"),
            "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
    AgentConfig config = configWithCaFile(file);

    try (TasksClient client =
        ClientFactory.open(config, Map.of("BLACKBOX_API_KEY", KEY), "no key", lines::add)) {
      assertEquals("https://127.0.0.1:1/", client.baseUrl().toString());
    }
    assertEquals(
        List.of(
            "caFile "
                + file
                + ": certificate 1 is not a valid X.509 certificate; expected a PEM file of"
                + " -----BEGIN CERTIFICATE----- blocks; using the JVM's default trust only"),
        lines);
    assertTrue(lines.get(0).length() < 300);
  }

  @Test
  void aBadHttpsProxyInTheEnvironmentIsOneLineAndDirect() throws Exception {
    AgentConfig config =
        ConfigLoader.load("baseUrl=https://127.0.0.1:1", new Properties(), Map.of(), p -> {});
    try (TasksClient client =
        ClientFactory.open(
            config,
            Map.of("BLACKBOX_API_KEY", KEY, "HTTPS_PROXY", "socks5://u:pr0xypw@p:1"),
            "no key",
            lines::add)) {
      assertTrue(client.proxyChoice().proxy().isNone());
    }
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("invalid environment variable HTTPS_PROXY: "), lines.get(0));
    assertTrue(!lines.get(0).contains("pr0xypw"), lines.get(0));
  }

  @Test
  void theProxySettingBeatsTheEnvironment() throws Exception {
    AgentConfig config =
        ConfigLoader.load(
            "baseUrl=https://127.0.0.1:1,proxy=http://u:pw@set.corp:3128",
            new Properties(),
            Map.of(),
            p -> {});
    try (TasksClient client =
        ClientFactory.open(
            config,
            Map.of("BLACKBOX_API_KEY", KEY, "HTTPS_PROXY", "env.corp:1"),
            "no key",
            lines::add)) {
      assertEquals(
          "http://set.corp:3128 (with credentials), from the proxy setting",
          client.proxyChoice().toString());
    }
    assertEquals(List.of(), lines);
  }

  AgentConfig plainConfig() {
    return ConfigLoader.load(
        "baseUrl=http://127.0.0.1:1,agentBaseUrl=http://127.0.0.1:1/api/v1",
        new Properties(),
        Map.of(),
        problem -> lines.add(problem.line()));
  }

  @Test
  void eitherFamilyMayBeConfiguredWithoutTheOther() throws Exception {
    String agentKey = "sk-0123456789abcdef0123456789abcdef";
    try (TasksClient v1Only =
        ClientFactory.open(
            plainConfig(), Map.of("BLACKBOX_AGENT_API_KEY", agentKey), "x", lines::add)) {
      assertTrue(v1Only.hasKey(dev.lastcall.Family.V1));
      assertTrue(!v1Only.hasKey(dev.lastcall.Family.CLOUD));
      assertEquals("http://127.0.0.1:1/api/v1/", v1Only.agentBaseUrl().toString());
    }
    try (TasksClient cloudOnly =
        ClientFactory.open(plainConfig(), Map.of("BLACKBOX_API_KEY", KEY), "x", lines::add)) {
      assertTrue(cloudOnly.hasKey(dev.lastcall.Family.CLOUD));
      assertTrue(!cloudOnly.hasKey(dev.lastcall.Family.V1));
    }
    assertEquals(List.of(), lines, "a family left unset is a choice, not a problem");
  }

  @Test
  void aRefusedV1KeyIsOneLineAndTheCloudFamilyStillWorks() throws Exception {
    try (TasksClient client =
        ClientFactory.open(
            plainConfig(),
            Map.of("BLACKBOX_API_KEY", KEY, "BLACKBOX_AGENT_API_KEY", "sk-a b"),
            "x",
            lines::add)) {
      assertTrue(client.hasKey(dev.lastcall.Family.CLOUD));
      assertTrue(!client.hasKey(dev.lastcall.Family.V1));
    }
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("BLACKBOX_AGENT_API_KEY holds"), lines.get(0));
  }
}
