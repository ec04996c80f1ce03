package dev.lastcall.emulator;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's one handler: reads the body without blocking, then hands the request to the API or the
 * admin endpoints, which answer through the callback now or later.
 */
final class RequestRouter extends Handler.Abstract {
  private final ApiHandler api;
  private final AdminHandler admin;
  private final TransportCounts counts;

  RequestRouter(ApiHandler api, AdminHandler admin, TransportCounts counts) {
    this.api = api;
    this.admin = admin;
    this.counts = counts;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    counts.onRequest(request);
    Content.Source.asByteArrayAsync(request, ApiHandler.MAX_BODY_BYTES)
        .whenComplete(
            (body, tooLargeOrFailed) -> {
              // A failed read is a body over the limit, or a client gone; the latter hears nothing.
              byte[] read = tooLargeOrFailed == null ? body : null;
              route(new JettyExchange(request, response, callback, read));
            });
    return true;
  }

  private void route(Exchange exchange) {
    try {
      String path = exchange.rawPath();
      if (path.equals("/api") || path.startsWith("/api/")) {
        api.handle(exchange);
      } else if (path.startsWith("/_emulator/")) {
        admin.handle(exchange);
      } else {
        exchange.send(HttpAnswer.notFound());
      }
    } catch (RuntimeException e) {
      // A bug: drop this connection only.
      exchange.abort();
    }
  }
}
