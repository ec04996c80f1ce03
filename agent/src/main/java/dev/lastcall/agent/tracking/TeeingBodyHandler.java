package dev.lastcall.agent.tracking;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.BiFunction;

/**
 * The application's body handler, and a copy of what it reads: the application's own subscriber
 * gets every buffer, demand and signal unchanged, in the same order; the copy is taken from a
 * duplicate of each buffer before it is handed on (the application's buffer positions are never
 * moved) and stops at {@link #CAP} bytes. Only {@code 200} answers without a content encoding are
 * copied; a failed or cancelled body, or one over the cap, is not looked at.
 */
final class TeeingBodyHandler<T> implements BodyHandler<T> {
  /** The most of a body copied ({@link BodyCopy#CAP}). */
  static final int CAP = BodyCopy.CAP;

  private final BodyHandler<T> application;
  private final String method;
  private final URI uri;
  private final Tracker tracker;

  TeeingBodyHandler(BodyHandler<T> application, String method, URI uri, Tracker tracker) {
    this.application = application;
    this.method = method;
    this.uri = uri;
    this.tracker = tracker;
  }

  /** What the bridge calls: wraps the handler of each request to the API's origin. */
  static BiFunction<Object, Object, Object> wrapper(Tracker tracker) {
    return new Wrapper(tracker);
  }

  @Override
  public BodySubscriber<T> apply(ResponseInfo info) {
    BodySubscriber<T> subscriber = application.apply(info); // the application's, first and as is
    try {
      if (info.statusCode() != 200 || encoded(info) || tooLong(info)) {
        return subscriber;
      }
      return new Teeing<>(subscriber, this, info.statusCode());
    } catch (Throwable t) {
      tracker.failed(t);
      return subscriber;
    }
  }

  private static boolean encoded(ResponseInfo info) {
    Optional<String> encoding = info.headers().firstValue("content-encoding");
    return encoding.isPresent() && !encoding.get().trim().equalsIgnoreCase("identity");
  }

  private static boolean tooLong(ResponseInfo info) {
    return info.headers().firstValueAsLong("content-length").orElse(0) > CAP;
  }

  private void completed(int code, byte[] body) {
    tracker.observe(new ApiAnswer(method, uri, code, body));
  }

  /** The application's subscriber, with a copy taken on the way. */
  private static final class Teeing<T> implements BodySubscriber<T> {
    private final BodySubscriber<T> application;
    private final TeeingBodyHandler<T> handler;
    private final int code;
    private byte[] copy = new byte[256]; // null once over the cap
    private int length;

    Teeing(BodySubscriber<T> application, TeeingBodyHandler<T> handler, int code) {
      this.application = application;
      this.handler = handler;
      this.code = code;
    }

    @Override
    public CompletionStage<T> getBody() {
      return application.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      application.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      try {
        keep(items);
      } catch (Throwable t) {
        copy = null;
        handler.tracker.failed(t);
      }
      application.onNext(items);
    }

    private void keep(List<ByteBuffer> items) {
      if (copy == null) {
        return;
      }
      for (ByteBuffer item : items) {
        int n = item.remaining();
        if (length + n > CAP) {
          copy = null;
          return;
        }
        if (length + n > copy.length) {
          byte[] bigger = new byte[Math.min(CAP, Math.max(copy.length * 2, length + n))];
          System.arraycopy(copy, 0, bigger, 0, length);
          copy = bigger;
        }
        item.duplicate().get(copy, length, n);
        length += n;
      }
    }

    @Override
    public void onError(Throwable throwable) {
      copy = null;
      application.onError(throwable);
    }

    @Override
    public void onComplete() {
      // Before the application's subscriber hears of it: a task is registered by the time the
      // application's send returns its id (observe never throws).
      byte[] body = copy;
      if (body != null) {
        byte[] exact = new byte[length];
        System.arraycopy(body, 0, exact, 0, length);
        handler.completed(code, exact);
      }
      application.onComplete();
    }
  }

  /** (request, handler) to the handler to use; a class, not a lambda. */
  private static final class Wrapper implements BiFunction<Object, Object, Object> {
    private final Tracker tracker;

    Wrapper(Tracker tracker) {
      this.tracker = tracker;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object apply(Object request, Object handler) {
      if (!(request instanceof HttpRequest) || !(handler instanceof BodyHandler)) {
        return handler;
      }
      HttpRequest r = (HttpRequest) request;
      if (!tracker.concerns(r.uri())) {
        return handler;
      }
      return new TeeingBodyHandler((BodyHandler) handler, r.method(), r.uri(), tracker);
    }
  }
}
