package ai.spacebot.testkit;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A fault-injecting HTTP proxy in front of the Slack emulator (emulate has no rate limits, no failures and no Socket
 * Mode): it records every Web API call the bot makes, answers the next calls of a method with an armed fault (HTTP
 * 429 with {@code Retry-After}, a 5xx, or Slack's {@code ok:false} with an error code), can enforce a per-channel
 * rate limit the way Slack does (too many posts in a window: 429), refuses tokens it is told to
 * ({@code invalid_auth}), and answers {@code apps.connections.open} with the local Socket Mode server's URL.
 */
public final class SlackProxy implements AutoCloseable {
  /** One call as the proxy saw it, with what it answered. */
  public record Call(String method, JsonObject params, String token, long atMillis, int status, String error) {}

  /** What to answer instead of forwarding: HTTP status (200 with an error code, 429, 5xx). */
  public record Fault(int status, int retryAfterSeconds, String error) {
    public static Fault rateLimited(int seconds) {
      return new Fault(429, seconds, "ratelimited");
    }

    public static Fault http(int status) {
      return new Fault(status, 0, null);
    }

    public static Fault error(String code) {
      return new Fault(200, 0, code);
    }
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final HttpClient client;
  private final int upstreamPort;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Queue<Fault>> faults = new HashMap<>();
  private final Set<String> refused = new HashSet<>();
  private final Map<String, List<Long>> windows = new HashMap<>();
  private volatile String socketUrl;
  private volatile int limitPerWindow;
  private volatile long windowMillis;
  private volatile String limitedMethod;
  private volatile boolean spreadTokens;
  private final java.util.concurrent.atomic.AtomicInteger spread = new java.util.concurrent.atomic.AtomicInteger();

  private SlackProxy(Vertx vertx, HttpServer server, HttpClient client, int upstreamPort) {
    this.vertx = vertx;
    this.server = server;
    this.client = client;
    this.upstreamPort = upstreamPort;
  }

  public static SlackProxy start(Vertx vertx, int upstreamPort) throws Exception {
    HttpClient client = vertx.createHttpClient();
    SlackProxy[] self = new SlackProxy[1];
    HttpServer server = vertx.createHttpServer().requestHandler(req -> self[0].handle(req));
    self[0] = new SlackProxy(vertx, server, client, upstreamPort);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return self[0];
  }

  /** The Web API base the bot is pointed at. */
  public String apiUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/api/";
  }

  public void socketUrl(String url) {
    this.socketUrl = url;
  }

  public synchronized void failNext(String method, int count, Fault fault) {
    Queue<Fault> q = faults.computeIfAbsent(method, m -> new ArrayDeque<>());
    for (int i = 0; i < count; i++) {
      q.add(fault);
    }
  }

  public synchronized void refuseToken(String token) {
    refused.add(token);
  }

  /** Slack's own limit on a method: more than {@code calls} per channel within {@code windowMillis} draws a 429. */
  public void limit(String method, int calls, long windowMillis) {
    this.limitedMethod = method;
    this.limitPerWindow = calls;
    this.windowMillis = windowMillis;
  }

  /**
   * emulate limits every token to 5000 calls an hour (GitHub's limit, not Slack's, which is per method and workspace
   * and which {@link #limit} models): for a load test the bot's calls go to emulate under a hundred aliases of its
   * token (any unseeded token is the same bot there).
   */
  public void spreadTokens(boolean on) {
    this.spreadTokens = on;
  }

  public List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized void clear() {
    faults.clear();
    windows.clear();
    limitedMethod = null;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      String path = req.path();
      String method = path.startsWith("/api/") ? path.substring(5) : path;
      String auth = req.getHeader("authorization");
      JsonObject params = params(req.getHeader("content-type"), body);
      String token = auth != null ? auth.replaceFirst("(?i)^Bearer\\s+", "").strip() : params.getString("token");
      long now = System.currentTimeMillis();
      Fault fault = decide(method, token, params, now);
      if (fault != null) {
        calls.add(new Call(method, params, token, now, fault.status(), fault.error()));
        var res = req.response().setStatusCode(fault.status()).putHeader("content-type", "application/json");
        if (fault.retryAfterSeconds() > 0 || fault.status() == 429) {
          res.putHeader("Retry-After", String.valueOf(fault.retryAfterSeconds()));
        }
        res.end(fault.status() >= 500 ? "{\"ok\":false,\"error\":\"internal_error\"}"
            : new JsonObject().put("ok", false).put("error", fault.error()).encode());
        return;
      }
      if (method.equals("apps.connections.open") && socketUrl != null) {
        calls.add(new Call(method, params, token, now, 200, null));
        req.response().putHeader("content-type", "application/json")
            .end(new JsonObject().put("ok", true).put("url", socketUrl).encode());
        return;
      }
      forward(req, body).onComplete(ar -> {
        if (ar.failed()) {
          calls.add(new Call(method, params, token, now, 502, ar.cause().getMessage()));
          req.response().setStatusCode(502).end();
          return;
        }
        Upstream up = ar.result();
        String error = null;
        try {
          JsonObject json = new JsonObject(up.body());
          error = json.getBoolean("ok", true) ? null : json.getString("error");
        } catch (RuntimeException notJson) {
          // files' upload route answers text
        }
        calls.add(new Call(method, params, token, now, up.status(), error));
        req.response().setStatusCode(up.status()).headers().addAll(up.headers());
        req.response().end(up.body());
      });
    });
  }

  private synchronized Fault decide(String method, String token, JsonObject params, long now) {
    if (token != null && refused.contains(token)) {
      return Fault.error("invalid_auth");
    }
    Queue<Fault> q = faults.get(method);
    if (q != null && !q.isEmpty()) {
      return q.poll();
    }
    if (method.equals(limitedMethod)) {
      String channel = String.valueOf(params.getValue("channel"));
      List<Long> times = windows.computeIfAbsent(channel, c -> new ArrayList<>());
      times.removeIf(t -> now - t >= windowMillis);
      if (times.size() >= limitPerWindow) {
        return Fault.rateLimited(1);
      }
      times.add(now);
    }
    return null;
  }

  private record Upstream(int status, MultiMap headers, Buffer body) {}

  private Future<Upstream> forward(HttpServerRequest req, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(req.method() == null ? HttpMethod.POST : req.method())
        .setHost("127.0.0.1").setPort(upstreamPort).setURI(req.uri());
    return client.request(options).compose(out -> {
      req.headers().forEach(h -> {
        if (!h.getKey().equalsIgnoreCase("host") && !h.getKey().equalsIgnoreCase("content-length")) {
          String value = h.getValue();
          if (spreadTokens && h.getKey().equalsIgnoreCase("authorization") && value.contains("xoxb-")) {
            value = value + "-" + spread.getAndIncrement() % 100;
          }
          out.putHeader(h.getKey(), value);
        }
      });
      return out.send(body);
    }).compose((HttpClientResponse res) -> res.body().map(b -> {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      res.headers().forEach(h -> {
        String k = h.getKey().toLowerCase();
        if (!k.equals("content-length") && !k.equals("transfer-encoding") && !k.equals("connection")) {
          headers.add(h.getKey(), h.getValue());
        }
      });
      return new Upstream(res.statusCode(), headers, b);
    }));
  }

  private static JsonObject params(String contentType, Buffer body) {
    String text = body.toString(StandardCharsets.UTF_8);
    if (contentType != null && contentType.contains("json")) {
      try {
        return new JsonObject(text);
      } catch (RuntimeException e) {
        return new JsonObject();
      }
    }
    JsonObject out = new JsonObject();
    if (contentType == null || contentType.contains("x-www-form-urlencoded")) {
      for (String pair : text.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.put(k, v);
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.close();
    client.close();
  }
}
