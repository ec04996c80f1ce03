package dev.lastcall.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** Whoever waits for one call's connection hears that call's events, once, and no other's. */
class ConnectionEventsTest {
  final OkHttpClient http = new OkHttpClient();
  final ConnectionEvents events = new ConnectionEvents(new Dispatcher(), 10);
  final AtomicInteger signalled = new AtomicInteger();

  Call call(CallMarker marker) {
    Request.Builder request = new Request.Builder().url("https://127.0.0.1:9/api/tasks/a");
    if (marker != null) {
      request.tag(CallMarker.class, marker);
    }
    return http.newCall(request.build());
  }

  @Test
  void otherCallsEndingSayNothingAboutTheFollowedOne() {
    CallMarker followed = new CallMarker("followed");
    events.onConnectionOf(followed, signalled::incrementAndGet);

    events.callEnd(call(null)); // a single call, or a call of a cancel that was not held
    events.callFailed(call(new CallMarker("another cancel's first call")), new IOException("x"));
    events.canceled(call(null));
    assertEquals(0, signalled.get());

    events.callEnd(call(followed));
    assertEquals(1, signalled.get());
  }

  @Test
  void theFollowedCallSignalsOnceWhateverComesFirst() {
    CallMarker followed = new CallMarker("followed");
    events.onConnectionOf(followed, signalled::incrementAndGet);
    Call call = call(followed);

    events.callFailed(call, new IOException("refused"));
    events.callEnd(call);
    events.canceled(call);

    assertEquals(1, signalled.get());
  }

  @Test
  void aForgottenSignalIsNeverRun() {
    CallMarker followed = new CallMarker("followed");
    Runnable forget = events.onConnectionOf(followed, signalled::incrementAndGet);

    forget.run();
    events.callEnd(call(followed));

    assertEquals(0, signalled.get());
  }
}
