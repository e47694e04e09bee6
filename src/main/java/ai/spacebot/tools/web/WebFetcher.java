package ai.spacebot.tools.web;

import ai.spacebot.config.WebSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Fetches a URL through the {@link UrlGuard}, on Vert.x's HTTP client: it connects to the very address the guard
 * checked (no second lookup, so DNS rebinding cannot swap it) while the Host header, TLS SNI and the certificate's
 * host name check use the name from the URL; it follows redirects itself, at most {@link #MAX_REDIRECTS}, each hop
 * checked again; the body is capped and the whole fetch bounded in time.
 */
public final class WebFetcher {
  public static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final String USER_AGENT = "Spacebot-web_fetch/1 (+https://spacebot.sh)";

  private final Vertx vertx;
  private final UrlGuard guard;
  private final WebSettings settings;
  private final HttpClient client;

  public WebFetcher(Vertx vertx, WebSettings settings) {
    this(vertx, settings, new HttpClientOptions());
  }

  /** @param options the base client options (tests add a trust store for their own certificate) */
  WebFetcher(Vertx vertx, WebSettings settings, HttpClientOptions options) {
    this.vertx = vertx;
    this.settings = settings;
    this.guard = new UrlGuard(vertx, AllowList.parse(settings.allowHosts()));
    // proxies are never used (a proxy would do its own lookup); the certificate must match the URL's host
    this.client = vertx.createHttpClient(new HttpClientOptions(options).setVerifyHost(true).setProxyOptions(null)
        .setConnectTimeout(settings.timeoutSeconds() * 1000).setDecompressionSupported(false));
  }

  public UrlGuard guard() {
    return guard;
  }

  /**
   * Fails with {@link Refused} when the URL or a redirect goes where the guard does not let it, with
   * {@link IllegalArgumentException} for a bad URL, an unknown host or too many redirects, and with the client's error
   * when the server cannot be reached.
   */
  public Future<WebPage> fetch(String url) {
    Promise<WebPage> result = Promise.promise();
    long timer = vertx.setTimer(settings.timeoutSeconds() * 1000L, id -> result.tryFail(new TimeoutException(
        "the fetch took longer than " + settings.timeoutSeconds() + " s (tools.web.timeout_seconds)")));
    hop(url, 0, result).onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        result.tryComplete(ar.result());
      } else {
        result.tryFail(ar.cause());
      }
    });
    return result.future();
  }

  private Future<WebPage> hop(String url, int redirects, Promise<WebPage> overall) {
    if (overall.future().isComplete()) {
      return Future.failedFuture("abandoned");
    }
    return guard.check(url)
        .recover(e -> Future.failedFuture(redirects > 0 && e instanceof Refused r
            ? new Refused("refused at redirect " + redirects + " (to " + url + "): "
                + r.getMessage().substring("refused: ".length())) : e))
        .compose(target -> get(target, overall))
        .compose(page -> {
          if (!REDIRECTS.contains(page.status()) || page.location() == null) {
            return Future.succeededFuture(new WebPage(url, redirects, page.status(), page.contentType(), page.body(),
                page.truncated()));
          }
          if (redirects == MAX_REDIRECTS) {
            return Future.failedFuture(new IllegalArgumentException(
                "more than " + MAX_REDIRECTS + " redirects, the last to " + page.location()));
          }
          String next;
          try {
            next = URI.create(url).resolve(page.location().strip()).toString();
          } catch (IllegalArgumentException e) {
            return Future.failedFuture(new IllegalArgumentException(
                "the server redirected to \"" + page.location() + "\", which is not a valid URL"));
          }
          return hop(next, redirects + 1, overall);
        });
  }

  private record Response(int status, String contentType, String location, byte[] body, boolean truncated) {}

  private Future<Response> get(Target target, Promise<WebPage> overall) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setServer(SocketAddress.inetSocketAddress(target.port(), AddressRules.text(target.address())))
        // an IPv6 literal goes into the Host header in brackets (RFC 9110), which Vert.x leaves to the caller
        .setHost(target.host().contains(":") ? "[" + target.host() + "]" : target.host())
        .setPort(target.port())
        .setSsl(target.https())
        .setURI(target.requestUri())
        .setFollowRedirects(false)
        .setIdleTimeout(settings.timeoutSeconds() * 1000L)
        .putHeader("User-Agent", USER_AGENT)
        .putHeader("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,application/json;q=0.9,*/*;q=0.5");
    return client.request(options).compose(request -> {
      overall.future().onFailure(e -> request.reset());
      return request.send().compose(response -> read(request, response));
    });
  }

  private Future<Response> read(HttpClientRequest request, HttpClientResponse response) {
    Promise<Response> done = Promise.promise();
    Buffer body = Buffer.buffer();
    int cap = settings.maxBodyBytes();
    String type = response.getHeader("Content-Type");
    String location = response.getHeader("Location");
    boolean[] cut = {false};
    response.handler(chunk -> {
      if (cut[0]) {
        return;
      }
      int room = cap - body.length();
      if (chunk.length() <= room) {
        body.appendBuffer(chunk);
        return;
      }
      body.appendBuffer(chunk, 0, room);
      cut[0] = true;
      done.tryComplete(new Response(response.statusCode(), type == null ? "" : type, location, body.getBytes(), true));
      // the rest is not wanted: dropping the connection is cheaper than reading it to the end
      request.reset();
    });
    response.exceptionHandler(done::tryFail);
    response.endHandler(v -> done.tryComplete(
        new Response(response.statusCode(), type == null ? "" : type, location, body.getBytes(), false)));
    return done.future();
  }

  public Future<Void> close() {
    return client.close();
  }
}
