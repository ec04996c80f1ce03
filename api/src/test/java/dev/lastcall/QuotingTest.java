package dev.lastcall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lastcall.internal.Quoting;
import org.junit.jupiter.api.Test;

class QuotingTest {
  @Test
  void controlCharactersAreEscapedAndLongValuesShortened() {
    assertEquals("\"a\\u001b[2Jb\\u000a\"", Quoting.quote("a\u001b[2Jb\n"));
    assertEquals("\"\"", Quoting.quote(""));
    String longValue = "x".repeat(Quoting.MAX_SHOWN + 1);
    assertEquals(
        "\"" + "x".repeat(Quoting.MAX_SHOWN) + "...\"", Quoting.quote(longValue), "shortened");
    assertEquals("\"" + "y".repeat(120) + "\"", Quoting.quote("y".repeat(120)), "not shortened");
  }

  @Test
  void taskIdMessagesUseIt() {
    assertEquals(
        true, TaskIds.problem("a\u0007b").startsWith("task id \"a\\u0007b\" contains a control"));
  }
}
