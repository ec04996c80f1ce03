package dev.lastcall.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lastcall.agent.registry.SharedRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The application reads exactly what its stream gives, call for call; the copy is handed over once,
 * only when the application has read the whole body, and never when it skipped, reset, failed or
 * went over the cap.
 */
class TeeingInputStreamTest {
  static final byte[] BODY =
      "{\"task\": {\"id\": \"streamTask0123456\"}}".getBytes(StandardCharsets.UTF_8);

  final Tracker tracker =
      new Tracker(
          new TaskAnswers(ApiOrigin.of(URI.create("https://api.example"))),
          SharedRegistry.connect());
  final List<byte[]> whole = new ArrayList<>();

  TeeingInputStream tee(InputStream in, long length) {
    return new TeeingInputStream(in, length, whole::add, tracker);
  }

  @Test
  void theAppReadsItsBytesAndTheCopyComesAtTheEndOnce() throws IOException {
    InputStream in = tee(new ByteArrayInputStream(BODY), -1);
    byte[] chunk = new byte[3];
    java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
    for (int n; (n = in.read(chunk)) >= 0; ) {
      assertEquals(List.of(), whole, "no copy before the end");
      read.write(chunk, 0, n);
    }
    assertEquals(-1, in.read());
    assertArrayEquals(BODY, read.toByteArray());
    assertEquals(1, whole.size());
    assertArrayEquals(BODY, whole.get(0));
  }

  @Test
  void aKnownLengthEndsTheCopyWithTheLastByteTheAppAskedFor() throws IOException {
    InputStream in = tee(new ByteArrayInputStream(BODY), BODY.length);
    assertArrayEquals(BODY, in.readNBytes(BODY.length));
    assertEquals(1, whole.size());
    assertArrayEquals(BODY, whole.get(0));
  }

  @Test
  void skippingResettingOrClosingEarlyGivesTheCopyUp() throws IOException {
    InputStream skipped = tee(new ByteArrayInputStream(BODY), -1);
    skipped.skip(2);
    skipped.readAllBytes();
    InputStream reset = tee(new ByteArrayInputStream(BODY), -1);
    reset.mark(100);
    reset.read(new byte[5]);
    reset.reset();
    reset.readAllBytes();
    InputStream closed = tee(new ByteArrayInputStream(BODY), -1);
    closed.read(new byte[5]);
    closed.close();
    assertEquals(List.of(), whole);
  }

  @Test
  void theAppsExceptionIsItsOwnAndNoCopyFollows() {
    IOException failure = new IOException("connection reset");
    InputStream failing =
        tee(
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw failure;
              }
            },
            -1);
    assertSame(failure, assertThrows(IOException.class, failing::read));
    assertEquals(List.of(), whole);
  }

  @Test
  void aBodyOverTheCapIsReadWholeByTheAppAndNotCopied() throws IOException {
    byte[] big = new byte[BodyCopy.CAP + 1];
    InputStream in = tee(new ByteArrayInputStream(big), -1);
    assertEquals(big.length, in.readAllBytes().length);
    assertEquals(List.of(), whole);
    BodyCopy copy = new BodyCopy();
    copy.write(big, 0, big.length);
    assertNull(copy.bytes());
  }
}
