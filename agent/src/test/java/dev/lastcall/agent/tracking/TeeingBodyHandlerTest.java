package dev.lastcall.agent.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lastcall.agent.registry.SharedRegistry;
import dev.lastcall.client.internal.ApiBodies;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The application's subscriber gets exactly what it would without the agent; the copy is taken on
 * the side and only of what may say something.
 */
class TeeingBodyHandlerTest {
  static final String ID = "teeTask0123456789";
  static final URI CREATE = URI.create("https://api.example/api/tasks");

  final SharedRegistry registry = SharedRegistry.connect();
  final Tracker tracker =
      new Tracker(new TaskAnswers(ApiOrigin.of(URI.create("https://api.example"))), registry);

  @AfterEach
  void forget() {
    registry.untrack(ID);
  }

  static ResponseInfo info(int code, Map<String, List<String>> headers) {
    return new ResponseInfo() {
      @Override
      public int statusCode() {
        return code;
      }

      @Override
      public HttpHeaders headers() {
        return HttpHeaders.of(headers, (a, b) -> true);
      }

      @Override
      public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
      }
    };
  }

  /** Feeds {@code body} in chunks of 5 bytes; returns what the application's subscriber made. */
  static String deliver(BodySubscriber<String> subscriber, String body, List<ByteBuffer> seen)
      throws Exception {
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += 5) {
      ByteBuffer chunk = ByteBuffer.wrap(bytes, i, Math.min(5, bytes.length - i));
      int position = chunk.position();
      subscriber.onNext(List.of(chunk));
      seen.add(chunk);
      // The application's subscriber (ofString) consumed it; a copy on the side would not have.
      assertTrue(chunk.position() >= position);
    }
    subscriber.onComplete();
    return subscriber.getBody().toCompletableFuture().get();
  }

  @Test
  void theApplicationReadsItsBodyAndTheTaskIsRegisteredBeforeItDoes() throws Exception {
    TeeingBodyHandler<String> handler =
        new TeeingBodyHandler<>(BodyHandlers.ofString(), "POST", CREATE, tracker);
    String body = ApiBodies.created(ID);

    String read = deliver(handler.apply(info(200, Map.of())), body, new java.util.ArrayList<>());

    assertEquals(body, read);
    assertTrue(registry.isRegistered(ID));
  }

  @Test
  void anEncodedOrFailedAnswerIsNotLookedAt() throws Exception {
    TeeingBodyHandler<String> handler =
        new TeeingBodyHandler<>(BodyHandlers.ofString(), "POST", CREATE, tracker);

    BodySubscriber<String> gzip =
        handler.apply(info(200, Map.of("content-encoding", List.of("gzip"))));
    assertEquals(
        ApiBodies.created(ID), deliver(gzip, ApiBodies.created(ID), new java.util.ArrayList<>()));
    assertFalse(registry.isRegistered(ID), "an encoded body is the application's alone");

    BodySubscriber<String> failing = handler.apply(info(200, Map.of()));
    failing.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {}
        });
    failing.onNext(
        List.of(ByteBuffer.wrap(ApiBodies.created(ID).getBytes(StandardCharsets.UTF_8))));
    failing.onError(new java.io.IOException("connection reset"));
    assertTrue(failing.getBody().toCompletableFuture().isCompletedExceptionally());
    assertFalse(registry.isRegistered(ID), "a failed call is not tracked");
  }

  @Test
  void aBodyOverTheCapIsNotParsed() throws Exception {
    TeeingBodyHandler<String> handler =
        new TeeingBodyHandler<>(BodyHandlers.ofString(), "POST", CREATE, tracker);
    String body = ApiBodies.created(ID) + " ".repeat(TeeingBodyHandler.CAP);

    String read = deliver(handler.apply(info(200, Map.of())), body, new java.util.ArrayList<>());

    assertEquals(body, read);
    assertFalse(registry.isRegistered(ID));
  }
}
