package dev.lastcall.agent.tracking;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.function.Consumer;

/**
 * An {@code okio.Source} (as a {@link java.lang.reflect.Proxy}) over the source of OkHttp's own
 * response body: each {@code read(sink, byteCount)} goes to it unchanged and the bytes it just put
 * at the end of {@code sink} are copied (Okio's {@code Buffer.copyTo} copies without consuming).
 * Nothing is read that the application did not ask for. At the end of the body (or its known
 * length) the copy goes to {@code whole} once, before that read returns; a failed read or an early
 * close gives it up.
 */
final class TeeingSource implements InvocationHandler {
  private final Object source;
  private final OkHttpTypes types;
  private final long contentLength;
  private final Consumer<byte[]> whole;
  private final Tracker tracker;
  private final BodyCopy copy = new BodyCopy();
  private boolean finished;

  TeeingSource(
      Object source,
      OkHttpTypes types,
      long contentLength,
      Consumer<byte[]> whole,
      Tracker tracker) {
    this.source = source;
    this.types = types;
    this.contentLength = contentLength;
    this.whole = whole;
    this.tracker = tracker;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "read":
        if (args != null && args.length == 2) {
          return read(args[0], (Long) args[1]);
        }
        break;
      case "close":
        if (!finished) {
          copy.drop();
        }
        break;
      case "equals":
        return proxy == args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "toString":
        return String.valueOf(source);
      default:
        break;
    }
    return Reflection.call(method, source, args); // timeout(), close(): the source's own
  }

  private long read(Object sink, long byteCount) throws Throwable {
    long n;
    try {
      n = (Long) Reflection.call(types.sourceRead, source, sink, byteCount);
    } catch (Throwable t) {
      copy.drop();
      throw t;
    }
    if (finished) {
      return n;
    }
    try {
      if (n < 0) {
        finish();
      } else if (n > 0) {
        long size = (Long) types.bufferSize.invoke(sink);
        types.bufferCopyTo.invoke(sink, copy, size - n, n);
        if (contentLength >= 0 && copy.length() >= contentLength) {
          finish();
        }
      }
    } catch (Throwable t) {
      copy.drop();
      tracker.failed(t);
    }
    return n;
  }

  private void finish() {
    finished = true;
    byte[] body = copy.bytes();
    if (body != null) {
      whole.accept(body);
    }
  }
}
