package dev.lastcall.agent.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JournalFormatTest {
  private static JournalFormat.Contents parse(String text) {
    return JournalFormat.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void replaysRegistrationsAndDeregistrationsInOrder() {
    JournalFormat.Contents c = parse("lastcall-journal 1 pid=7\n+a\n+b\n-a\n+c\n+a\n-c\n");
    assertTrue(c.readable());
    assertEquals(Set.of("a", "b"), c.live());
    assertEquals(6, c.records());
    assertFalse(c.tornTail());
  }

  @Test
  void aHalfWrittenLastRecordIsIgnoredNotFatal() {
    JournalFormat.Contents c = parse("lastcall-journal 1\n+a\n+bb");
    assertEquals(Set.of("a"), c.live());
    assertTrue(c.tornTail());
    assertEquals(0, c.ignoredLines());
  }

  @Test
  void aTornDeregistrationLeavesTheTaskLive() {
    assertEquals(Set.of("a"), parse("lastcall-journal 1\n+a\n-").live());
  }

  @Test
  void damagedLinesAreSkippedAndCounted() {
    JournalFormat.Contents c = parse("lastcall-journal 1\n+a\n\0\0\0\n+\nxyz\n+b c\n+b\n");
    assertEquals(Set.of("a", "b"), c.live());
    assertEquals(4, c.ignoredLines());
  }

  @Test
  void aHalfWrittenHeaderMeansNothingWasRecorded() {
    JournalFormat.Contents c = parse("lastcall-jour");
    assertTrue(c.readable());
    assertTrue(c.live().isEmpty());
    assertTrue(parse("").live().isEmpty());
  }

  @Test
  void anotherVersionOrAnotherFileIsLeftUnread() {
    assertFalse(parse("lastcall-journal 2\n+a\n").readable());
    assertFalse(parse("hello\n+a\n").readable());
  }

  @Test
  void headerNamesTheFormatAndVersion() {
    String header = new String(JournalFormat.header(), StandardCharsets.UTF_8);
    assertTrue(header.startsWith("lastcall-journal 1 "), header);
    assertTrue(header.endsWith("\n"));
  }
}
