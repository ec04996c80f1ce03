package dev.lastcall.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BaseUrlTest {
  @Test
  void oneRuleForTheClientAndTheAgent() {
    assertEquals(
        URI.create("https://x.example/p"), BaseUrl.parse(" https://x.example/p// ", false));
    assertEquals(URI.create("http://[::1]:9"), BaseUrl.parse("http://[::1]:9/", false));
    assertEquals(URI.create("http://x.example"), BaseUrl.parse("http://x.example", true));
    for (String bad : new String[] {"ftp://x", "x.example", "http://", "https://x/?q=1"}) {
      assertThrows(IllegalArgumentException.class, () -> BaseUrl.parse(bad, true), bad);
    }
    IllegalArgumentException clear =
        assertThrows(
            IllegalArgumentException.class, () -> BaseUrl.parse("http://x.example", false));
    assertTrue(clear.getMessage().contains("clear text"), clear.getMessage());
  }

  @Test
  void theBuilderAppliesItAndNeverRepeatsAPassword() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TasksClient.builder().baseUrl("https://me:hunter2pw@x.example"));
    assertFalse(e.getMessage().contains("hunter2pw"), e.getMessage());
    TasksClient.Builder insecure = TasksClient.builder().baseUrl("http://x.example").apiKey("bb_1");
    assertThrows(IllegalArgumentException.class, insecure::build);
    try (TasksClient allowed = insecure.allowInsecure(true).build()) {
      assertEquals("http://x.example/", allowed.baseUrl().toString());
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> TasksClient.builder().maxConcurrency(ClientDefaults.MAX_CONCURRENCY + 1));
  }
}
