package dev.lastcall.agent.tracking;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.BiFunction;

/**
 * {@code HttpURLConnection}'s side of tracking: for a {@code 200} answer from the API's origin,
 * without a content encoding and not longer than the cap, hands the application a {@link
 * TeeingInputStream} over the connection's own stream.
 *
 * <p>A connection returns the same stream from every {@code getInputStream()} ({@code
 * getResponseCode()} calls it too), so the same tee must be handed out each time: tees are found by
 * the stream they wrap, in a map that holds neither strongly (the JDK's stream refers to its
 * connection; a strong value would keep both alive).
 */
final class UrlConnectionTee implements BiFunction<Object, Object, Object> {
  private final Tracker tracker;
  private final Map<InputStream, WeakReference<TeeingInputStream>> tees =
      Collections.synchronizedMap(new WeakHashMap<>());
  private final ThreadLocal<Boolean> inside = new ThreadLocal<>();

  private UrlConnectionTee(Tracker tracker) {
    this.tracker = tracker;
  }

  /** What {@code UrlConnectionBridge} calls. */
  static BiFunction<Object, Object, Object> wrapper(Tracker tracker) {
    return new UrlConnectionTee(tracker);
  }

  @Override
  public Object apply(Object connection, Object stream) {
    if (!(connection instanceof HttpURLConnection c)
        || !(stream instanceof InputStream in)
        || in instanceof TeeingInputStream
        || inside.get() != null) {
      return stream;
    }
    inside.set(Boolean.TRUE); // what this asks the connection must not come back here
    try {
      URI uri = c.getURL().toURI();
      if (!tracker.concerns(uri)) {
        return stream;
      }
      WeakReference<TeeingInputStream> known = tees.get(in);
      TeeingInputStream tee = known == null ? null : known.get();
      if (tee != null) {
        return tee;
      }
      int code = c.getResponseCode(); // known by now: getInputStream returned normally
      String encoding = c.getContentEncoding();
      long length = c.getContentLengthLong();
      if (code != 200
          || (encoding != null && !encoding.trim().equalsIgnoreCase("identity"))
          || !BodyCopy.fits(length)) {
        return stream;
      }
      String method = c.getRequestMethod();
      tee =
          new TeeingInputStream(
              in, length, body -> tracker.observe(new ApiAnswer(method, uri, code, body)), tracker);
      tees.put(in, new WeakReference<>(tee));
      return tee;
    } catch (Throwable t) {
      tracker.failed(t);
      return stream;
    } finally {
      inside.remove();
    }
  }
}
