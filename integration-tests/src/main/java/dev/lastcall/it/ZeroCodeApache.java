package dev.lastcall.it;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * Apache HttpClient 5 classic: {@code execute(request)} with the response read by {@code
 * EntityUtils}, or ({@code handler}) {@code execute(request, responseHandler)}, the form the
 * library recommends.
 */
final class ZeroCodeApache implements ZeroCodeClient {
  private final CloseableHttpClient http = HttpClients.createDefault();
  private final boolean handler;

  ZeroCodeApache(boolean handler) {
    this.handler = handler;
  }

  @Override
  @SuppressWarnings("deprecation") // execute(request) is 5.x's own, deprecated for the handler form
  public byte[] post(String url, String key, String json) throws Exception {
    HttpPost post = new HttpPost(url);
    post.setHeader("Authorization", "Bearer " + key);
    post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
    if (handler) {
      return http.execute(
          post,
          response -> {
            if (response.getCode() != 200) {
              throw new IllegalStateException("create answered " + response.getCode());
            }
            return EntityUtils.toByteArray(response.getEntity());
          });
    }
    try (CloseableHttpResponse response = http.execute(post)) {
      if (response.getCode() != 200) {
        throw new IllegalStateException("create answered " + response.getCode());
      }
      return EntityUtils.toByteArray(response.getEntity());
    }
  }
}
