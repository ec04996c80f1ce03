package dev.lastcall.it;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The application's own OkHttp, whichever major version (3, 4 or 5) is on the class path: only
 * calls all three keep with the same Java signatures ({@code RequestBody.create(MediaType,
 * String)}, {@code body().bytes()}), with {@code execute} or {@code enqueue}. A client derived from
 * {@code new OkHttpClient()} with {@code newBuilder()}, as apps do for their own timeouts; prints
 * {@code OKHTTP_INTERCEPTORS <n>}, how many interceptors the application's client shows (it added
 * none).
 */
final class ZeroCodeOkHttp implements ZeroCodeClient {
  private final OkHttpClient http;
  private final boolean enqueue;

  /**
   * {@code enqueue}: the call is made with {@code enqueue} and its callback, else {@code execute}.
   */
  ZeroCodeOkHttp(boolean enqueue) {
    this.enqueue = enqueue;
    OkHttpClient base = new OkHttpClient();
    http = base.newBuilder().build();
    System.out.println("OKHTTP_INTERCEPTORS " + http.interceptors().size());
  }

  @Override
  @SuppressWarnings("deprecation") // the 3.x signature, kept by 4.x and 5.x
  public byte[] post(String url, String key, String json) throws Exception {
    Request request =
        new Request.Builder()
            .url(url)
            .header("Authorization", "Bearer " + key)
            .post(RequestBody.create(MediaType.parse("application/json"), json))
            .build();
    if (enqueue) {
      CompletableFuture<byte[]> body = new CompletableFuture<>();
      http.newCall(request)
          .enqueue(
              new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                  body.completeExceptionally(e);
                }

                @Override
                public void onResponse(Call call, Response response) {
                  try (response) {
                    body.complete(read(response));
                  } catch (Throwable t) {
                    body.completeExceptionally(t);
                  }
                }
              });
      return body.get();
    }
    try (Response response = http.newCall(request).execute()) {
      return read(response);
    }
  }

  private static byte[] read(Response response) throws IOException {
    if (response.code() != 200) {
      throw new IllegalStateException("create answered " + response.code());
    }
    return response.body().bytes();
  }
}
