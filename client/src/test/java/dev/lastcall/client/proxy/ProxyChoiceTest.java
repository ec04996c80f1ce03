package dev.lastcall.client.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The order a proxy is chosen in, and NO_PROXY, without a proxy process. */
class ProxyChoiceTest {
  static final String HOST = "cloud.blackbox.ai";
  static final ProxySelector JDK = jdkSelector();
  final Properties system = new Properties();

  static ProxySelector jdkSelector() {
    ProxySelector selector = ProxySelector.getDefault();
    assertEquals("sun.net.spi.DefaultProxySelector", selector.getClass().getName());
    return selector;
  }

  static final class AppSelector extends ProxySelector {
    @Override
    public List<Proxy> select(URI uri) {
      return List.of(Proxy.NO_PROXY);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
  }

  ProxyChoice choose(ProxySetting setting, Map<String, String> env) {
    return ProxyChoice.choose(setting, "https", HOST, system, JDK, env);
  }

  @Test
  void theSettingComesFirst() {
    system.setProperty("https.proxyHost", "jvm.corp");
    ProxyChoice choice =
        choose(
            ProxySetting.parse("http://u:secret@set.corp:3128"),
            Map.of("HTTPS_PROXY", "http://env.corp:8080"));
    assertEquals(ProxyChoice.Source.SETTING, choice.source());
    assertEquals("set.corp:3128", choice.proxy().address());
    assertNull(choice.selector());
    assertEquals(
        "http://set.corp:3128 (with credentials), from the proxy setting", choice.toString());
  }

  @Test
  void noneInTheSettingMeansDirectWhateverElseSays() {
    system.setProperty("https.proxyHost", "jvm.corp");
    ProxyChoice choice = choose(ProxySetting.parse("none"), Map.of("HTTPS_PROXY", "env.corp:1"));
    assertTrue(choice.proxy().isNone());
    assertEquals(Proxy.NO_PROXY, choice.proxy().proxy());
  }

  @Test
  void theJvmsPropertiesComeBeforeTheEnvironment() {
    system.setProperty("https.proxyHost", "jvm.corp");
    system.setProperty("https.proxyPort", "3128");
    ProxyChoice choice = choose(null, Map.of("HTTPS_PROXY", "http://env.corp:8080"));
    assertEquals(ProxyChoice.Source.JVM, choice.source());
    assertSame(JDK, choice.selector());
    assertEquals("the JVM's https.proxyHost", choice.toString());
  }

  @Test
  void anApplicationsProxySelectorComesBeforeTheEnvironment() {
    AppSelector app = new AppSelector();
    ProxyChoice choice =
        ProxyChoice.choose(null, "https", HOST, system, app, Map.of("HTTPS_PROXY", "env.corp:1"));
    assertEquals(ProxyChoice.Source.JVM, choice.source());
    assertSame(app, choice.selector());
  }

  @Test
  void useSystemProxiesIsTheJvmsToo() {
    system.setProperty("java.net.useSystemProxies", "true");
    assertEquals(ProxyChoice.Source.JVM, choose(null, Map.of("HTTPS_PROXY", "e:1")).source());
  }

  @Test
  void httpProxyPropertiesDoNotCountForHttps() {
    system.setProperty("http.proxyHost", "jvm.corp");
    assertEquals(ProxyChoice.Source.DIRECT, choose(null, Map.of()).source());
  }

  @Test
  void theEnvironmentLowerCaseFirst() {
    ProxyChoice choice =
        choose(null, Map.of("https_proxy", "lower.corp:1", "HTTPS_PROXY", "upper.corp:2"));
    assertEquals(ProxyChoice.Source.ENVIRONMENT, choice.source());
    assertEquals("lower.corp:1", choice.proxy().address());
    assertEquals("http://lower.corp:1, from https_proxy", choice.toString());
    assertEquals(
        "upper.corp:2", choose(null, Map.of("HTTPS_PROXY", "upper.corp:2")).proxy().address());
  }

  @Test
  void noProxyNamingTheHostMeansDirect() {
    for (String list :
        List.of(
            "*",
            "cloud.blackbox.ai",
            ".blackbox.ai",
            "blackbox.ai",
            "*.blackbox.ai",
            "x.org, BLACKBOX.AI:443 ,y")) {
      ProxyChoice choice = choose(null, Map.of("HTTPS_PROXY", "p:1", "NO_PROXY", list));
      assertTrue(choice.proxy().isNone(), list);
      assertEquals("none, from NO_PROXY", choice.toString());
    }
    ProxyChoice lower = choose(null, Map.of("HTTPS_PROXY", "p:1", "no_proxy", "*"));
    assertEquals("none, from no_proxy", lower.toString());
  }

  @Test
  void noProxyNotNamingTheHostKeepsTheProxy() {
    for (String list : List.of("", "ai.example", "x.blackbox.ai", "ckbox.ai", "cloud", ",")) {
      assertFalse(
          choose(null, Map.of("HTTPS_PROXY", "p:1", "NO_PROXY", list)).proxy().isNone(), list);
    }
  }

  @Test
  void noProxyMatching() {
    assertTrue(ProxyChoice.NoProxy.matches("127.0.0.1", "127.0.0.1"));
    assertFalse(ProxyChoice.NoProxy.matches("0.0.1", "127.0.0.1"), "an IP only matches itself");
    assertTrue(ProxyChoice.NoProxy.matches("[::1]:8080", "::1"));
    assertTrue(ProxyChoice.NoProxy.matches("::1", "[::1]"));
    assertTrue(ProxyChoice.NoProxy.matches("localhost", "LOCALHOST"));
    assertFalse(ProxyChoice.NoProxy.matches(null, "localhost"));
  }

  @Test
  void noProxyCidrBlocksNameTheIpLiteralsInThem() {
    assertTrue(ProxyChoice.NoProxy.matches("example.com, 10.0.0.0/8", "10.1.2.3"));
    assertTrue(ProxyChoice.NoProxy.matches("127.0.0.1/32", "127.0.0.1"));
    assertFalse(ProxyChoice.NoProxy.matches("127.0.0.1/32", "127.0.0.2"));
    assertTrue(ProxyChoice.NoProxy.matches("192.168.0.0/23", "192.168.1.255"));
    assertFalse(ProxyChoice.NoProxy.matches("192.168.0.0/23", "192.168.2.0"));
    assertTrue(ProxyChoice.NoProxy.matches("0.0.0.0/0", "203.0.113.9"));
    assertTrue(ProxyChoice.NoProxy.matches("fd00::/8", "[fd12::1]"));
    assertTrue(ProxyChoice.NoProxy.matches("[::1]/128", "::1"));
    assertFalse(ProxyChoice.NoProxy.matches("fd00::/8", "10.0.0.1"), "families differ");
    assertFalse(ProxyChoice.NoProxy.matches("10.0.0.0/8", "ten.example"), "names: no lookup");
    assertFalse(ProxyChoice.NoProxy.matches("10.0.0.0/33", "10.0.0.1"), "no such prefix");
    assertFalse(ProxyChoice.NoProxy.matches("10.0.0.0/x", "10.0.0.1"));
    assertFalse(ProxyChoice.NoProxy.matches("corp/8", "10.0.0.1"));
  }

  @Test
  void nothingConfiguredIsDirect() {
    ProxyChoice choice = choose(null, Map.of());
    assertEquals(ProxyChoice.Source.DIRECT, choice.source());
    assertEquals("direct, no proxy configured", choice.toString());
    assertNull(choice.problem());
  }

  @Test
  void theEnvironmentsProxyIsNotUsedForAnHttpBaseUrl() {
    ProxyChoice choice =
        ProxyChoice.choose(null, "http", "127.0.0.1", system, JDK, Map.of("HTTPS_PROXY", "p:1"));
    assertEquals(ProxyChoice.Source.DIRECT, choice.source());
  }

  @Test
  void aBadEnvironmentProxyIsOneProblemWithoutItsValueAndDirect() {
    ProxyChoice choice = choose(null, Map.of("HTTPS_PROXY", "socks5://u:hunter2@p:1"));
    assertTrue(choice.proxy().isNone());
    assertTrue(
        choice.problem().startsWith("invalid environment variable HTTPS_PROXY: scheme socks5 is"),
        choice.problem());
    assertTrue(choice.problem().endsWith("; connecting directly"), choice.problem());
    assertFalse(choice.problem().contains("hunter2"));
  }

  @Test
  void settingsParse() {
    ProxySetting full = ProxySetting.parse(" http://us%40er:p%3Ass@proxy.corp:3128/ ");
    assertEquals("us@er", full.user());
    assertEquals("p:ss", full.password());
    assertEquals("proxy.corp:3128", full.address());
    assertEquals("http://proxy.corp:3128 (with credentials)", full.toString());
    assertEquals(ProxySetting.http("p", 80), ProxySetting.parse("p"));
    assertEquals("[::1]:8080", ProxySetting.parse("http://[::1]:8080").address());
    assertTrue(ProxySetting.parse("NONE").isNone());
    // In a URL's user information a + is a +, not a form's space; escapes decode as UTF-8.
    ProxySetting plus = ProxySetting.parse("http://a+b:p+w%C3%A9%2B@p:1");
    assertEquals("a+b", plus.user());
    assertEquals("p+wé+", plus.password());
  }

  @Test
  void badSettingsNeverRepeatTheValue() {
    for (String bad :
        List.of(
            "https://u:hunter2@p:1",
            "http://u:hunter2@p:99999",
            "http://u:hunter2@p:1/path",
            "http://hunter2@p:1",
            "http://u:hunter2@:1",
            "",
            "http://u:%zzhunter2@p:1",
            "http://u:hunter2%4@p:1")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ProxySetting.parse(bad), bad);
      assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
      assertTrue(e.getMessage().endsWith(ProxySetting.ACCEPTED), bad + ": " + e.getMessage());
    }
  }
}
