package dev.lastcall.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The connection and stream counts, on the Java API and in /_emulator/state. */
class TransportCountsTest {
  static final String KEY = "bb_0123456789abcdef";

  @Test
  void aHundredRequestsOverOneH2ConnectionAreOneConnectionAndAHundredStreams() throws Exception {
    try (Emulator emu = Emulator.builder().tls().start()) {
      Http h2 = new Http(emu, Transport.HTTPS_H2);
      assertEquals(200, h2.get("/api/tasks", KEY).status()); // opens the one connection
      List<CompletableFuture<Http.Resp>> rest = new ArrayList<>();
      for (int i = 0; i < 99; i++) { // multiplexed on it
        rest.add(h2.sendAsync("GET", "/api/tasks", KEY, null, Duration.ofSeconds(10)));
      }
      for (CompletableFuture<Http.Resp> r : rest) {
        assertEquals(200, r.get().status());
      }

      assertEquals(1L, emu.connectionCounts().get("h2"));
      assertEquals(1L, emu.openConnectionCounts().get("h2"));
      assertEquals(100L, emu.streamCounts().get("h2"));
      // Asked over HTTP/1.1, so that asking adds a connection of that protocol and no stream.
      JsonNode state = new Http(emu, Transport.HTTPS_HTTP_1_1).get("/_emulator/state", null).json();
      assertEquals(1, state.get("connections").get("h2").asLong(), state.toString());
      assertEquals(1, state.get("connections").get("http/1.1").asLong(), state.toString());
      assertEquals(1, state.get("openConnections").get("h2").asLong(), state.toString());
      assertEquals(100, state.get("streams").get("h2").asLong(), state.toString());
    }
  }

  @Test
  void http11KeepAliveReusesOneConnection() throws Exception {
    try (Emulator emu = Emulator.builder().start()) {
      Http http = new Http(emu, Transport.HTTP_1_1);
      for (int i = 0; i < 20; i++) {
        assertEquals(200, http.get("/api/tasks", KEY).status());
      }
      assertEquals(1L, emu.connectionCounts().get("http/1.1"));
      assertEquals(0L, emu.connectionCounts().get("h2"));
      assertEquals(0L, emu.streamCounts().get("h2"));
    }
  }

  @Test
  void aClosedConnectionIsNoLongerOpenButStillCounted() throws Exception {
    try (Emulator emu = Emulator.builder().start()) {
      // "Connection: close" is a restricted header in the JDK client, so a raw socket asks.
      try (var socket = new Socket("127.0.0.1", emu.port())) {
        socket
            .getOutputStream()
            .write(
                ("GET /_emulator/state HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        String answer =
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 200 OK", answer.lines().findFirst().orElse(""));
      }
      assertEquals(1L, emu.connectionCounts().get("http/1.1"));
      // The server's side of the close is noticed by its selector, not by this thread: wait for it.
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (emu.openConnectionCounts().get("http/1.1") != 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(0L, emu.openConnectionCounts().get("http/1.1"));
    }
  }
}
