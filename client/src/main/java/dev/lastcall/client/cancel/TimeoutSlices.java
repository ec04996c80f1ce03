package dev.lastcall.client.cancel;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Applies a request's {@link Slice} as its connect, read and write timeouts, so no single wait
 * inside a bulk-cancel request can outlast the slice of the deadline it was given. (The call
 * timeout is set on the call itself.) Requests without a slice pass through unchanged.
 */
final class TimeoutSlices implements Interceptor {
  /** A request's share of the remaining deadline, carried as a request tag. */
  record Slice(long nanos) {}

  @Override
  public Response intercept(Chain chain) throws IOException {
    Slice slice = chain.request().tag(Slice.class);
    if (slice == null) {
      return chain.proceed(chain.request());
    }
    int millis =
        (int)
            Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(slice.nanos())));
    return chain
        .withConnectTimeout(millis, TimeUnit.MILLISECONDS)
        .withReadTimeout(millis, TimeUnit.MILLISECONDS)
        .withWriteTimeout(millis, TimeUnit.MILLISECONDS)
        .proceed(chain.request());
  }
}
