package ai.spacebot.llm;

import ai.spacebot.llm.resilience.ProviderHttpException;
import ai.spacebot.llm.resilience.RetryAfter;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpClientBuilderLoader;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.DefaultServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.langchain4j.http.client.sse.ServerSentEventParsingHandle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * LangChain4j's HTTP client seam implemented on the Vert.x HTTP client, so model calls are plain
 * non-blocking requests on the calling event loop. The default JDK client parks a thread per streaming
 * response and hops through several executors per request; on a 2-core machine that cost more CPU
 * than the rest of a turn. Server-Sent Events are parsed as the bytes arrive. Responses in another
 * format (a provider with its own {@link ServerSentEventParser}, e.g. Ollama's NDJSON) go to the
 * default JDK client, which runs that parser on its stream.
 */
public final class VertxLlmHttpClient implements dev.langchain4j.http.client.HttpClient {
  private final Vertx vertx;
  private final HttpClient client;
  private final Duration readTimeout;
  private final dev.langchain4j.http.client.HttpClient fallback;
  private final Map<String, String> headers;
  private static final int MAX_TARGETS = 256;
  private final Map<String, RequestOptions> targets = new java.util.concurrent.ConcurrentHashMap<>();

  private VertxLlmHttpClient(Vertx vertx, HttpClient client, Duration readTimeout, dev.langchain4j.http.client.HttpClient fallback,
      Map<String, String> headers) {
    this.vertx = vertx;
    this.client = client;
    this.readTimeout = readTimeout;
    this.fallback = fallback;
    this.headers = headers;
  }

  /** The builder LangChain4j model builders accept as {@code httpClientBuilder(...)}. */
  public static final class Builder implements HttpClientBuilder {
    private final Vertx vertx;
    private Duration connectTimeout = Duration.ofSeconds(15);
    private Duration readTimeout = Duration.ofSeconds(120);
    private Map<String, String> headers = Map.of();

    public Builder(Vertx vertx) {
      this.vertx = vertx;
    }

    /**
     * Headers added to every request (a provider's configured {@code headers}, Azure's {@code api-key}); each
     * replaces a header of the same name (case-insensitive) that the LangChain4j client set.
     */
    public Builder headers(Map<String, String> headers) {
      this.headers = headers == null ? Map.of() : Map.copyOf(headers);
      return this;
    }

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public Builder connectTimeout(Duration timeout) {
      if (timeout != null) {
        this.connectTimeout = timeout;
      }
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public Builder readTimeout(Duration timeout) {
      if (timeout != null) {
        this.readTimeout = timeout;
      }
      return this;
    }

    @Override
    public VertxLlmHttpClient build() {
      HttpClient client = vertx.createHttpClient(
          new HttpClientOptions().setConnectTimeout((int) connectTimeout.toMillis()).setKeepAlive(true)
              .setName("spacebot-llm"),
          new PoolOptions().setHttp1MaxSize(1024));
      HttpClientBuilder jdk = HttpClientBuilderLoader.loadHttpClientBuilder().connectTimeout(connectTimeout).readTimeout(readTimeout);
      return new VertxLlmHttpClient(vertx, client, readTimeout, jdk.build(), headers);
    }
  }

  /** Blocking call (LangChain4j's non-streaming models); never on an event loop. */
  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("blocking model call on an event loop; use a streaming model");
    }
    try {
      return send(request).compose(res -> res.body().map(body -> {
        if (res.statusCode() < 200 || res.statusCode() >= 300) {
          throw error(res, body.toString());
        }
        return response(res, body.toString());
      })).await(readTimeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (HttpException e) {
      throw e;
    } catch (Exception e) {
      throw new RuntimeException(e.getMessage(), e);
    }
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    if (parser != null && parser.getClass() != DefaultServerSentEventParser.class) {
      fallback.execute(withHeaders(request), parser, listener);
      return;
    }
    if (Vertx.currentContext() == null) {
      // Off Vert.x (a retry scheduler, a test thread) the response could complete before its handlers
      // are set from here, and its first chunks would be lost; on a context both happen in order.
      vertx.runOnContext(v -> stream(request, listener));
      return;
    }
    stream(request, listener);
  }

  private void stream(HttpRequest request, ServerSentEventListener listener) {
    send(request).onComplete(ar -> {
      if (ar.failed()) {
        listener.onError(ar.cause());
        return;
      }
      HttpClientResponse res = ar.result();
      if (res.statusCode() < 200 || res.statusCode() >= 300) {
        res.body().onComplete(body -> listener.onError(
            error(res, body.succeeded() ? body.result().toString() : res.statusMessage())));
        return;
      }
      listener.onOpen(response(res, null));
      SseStream stream = new SseStream(listener);
      res.handler(stream::feed);
      res.exceptionHandler(listener::onError);
      res.endHandler(v -> {
        stream.finish();
        listener.onClose();
      });
    });
  }

  private HttpRequest withHeaders(HttpRequest request) {
    if (headers.isEmpty()) {
      return request;
    }
    Map<String, List<String>> merged = new LinkedHashMap<>();
    request.headers().forEach((name, values) -> {
      if (headers.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
        merged.put(name, values);
      }
    });
    headers.forEach((name, value) -> merged.put(name, List.of(value)));
    return HttpRequest.builder().method(request.method()).url(request.url()).headers(merged).body(request.body()).build();
  }

  private Future<HttpClientResponse> send(HttpRequest original) {
    HttpRequest request = withHeaders(original);
    RequestOptions options = target(request.url())
        .setMethod(HttpMethod.valueOf(request.method().name()))
        .setIdleTimeout(readTimeout.toMillis());
    request.headers().forEach((name, values) -> values.forEach(v -> options.addHeader(name, v)));
    return client.request(options).compose(req -> request.body() == null ? req.send() : req.send(request.body()));
  }

  /**
   * Fresh options aimed at a URL. Parsing the URL was a few per cent of a turn's CPU, and a model is
   * called at the same few URLs all day, so the parsed form is kept (a bounded number of them).
   */
  private RequestOptions target(String url) {
    RequestOptions parsed = targets.get(url);
    if (parsed == null) {
      parsed = new RequestOptions().setAbsoluteURI(url);
      if (targets.size() < MAX_TARGETS) {
        targets.put(url, parsed);
      }
    }
    return new RequestOptions().setHost(parsed.getHost()).setPort(parsed.getPort()).setSsl(parsed.isSsl())
        .setURI(parsed.getURI());
  }

  /** A non-2xx answer, with the provider's Retry-After so the fallback chain can honour it. */
  private static HttpException error(HttpClientResponse res, String body) {
    return new ProviderHttpException(res.statusCode(), body,
        RetryAfter.fromHeaders(res.headers()::get, java.time.Instant.now()));
  }

  private static SuccessfulHttpResponse response(HttpClientResponse res, String body) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    res.headers().forEach(e -> headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return SuccessfulHttpResponse.builder().statusCode(res.statusCode()).headers(headers).body(body).build();
  }

  /** Incremental Server-Sent Events parsing (lines, {@code event:}/{@code data:}, blank line ends). */
  private static final class SseStream implements ServerSentEventParsingHandle {
    private final ServerSentEventListener listener;
    private final ServerSentEventContext context = new ServerSentEventContext(this);
    private final StringBuilder line = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private String event;
    private boolean hasData;
    private boolean cancelled;
    private byte[] pending = new byte[0];

    SseStream(ServerSentEventListener listener) {
      this.listener = listener;
    }

    void feed(Buffer chunk) {
      // Decode only up to the last newline so a UTF-8 sequence split across chunks stays whole.
      byte[] bytes = pending.length == 0 ? chunk.getBytes() : concat(pending, chunk.getBytes());
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n' && bytes[end - 1] != '\r') {
        end--;
      }
      pending = java.util.Arrays.copyOfRange(bytes, end, bytes.length);
      String text = new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8);
      for (int i = 0; i < text.length() && !cancelled; i++) {
        char c = text.charAt(i);
        if (c == '\n' || c == '\r') {
          if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
            i++;
          }
          onLine(line.toString());
          line.setLength(0);
        } else {
          line.append(c);
        }
      }
    }

    void finish() {
      if (pending.length > 0) {
        line.append(new String(pending, java.nio.charset.StandardCharsets.UTF_8));
        pending = new byte[0];
      }
      if (line.length() > 0) {
        onLine(line.toString());
        line.setLength(0);
      }
      onLine("");
    }

    private void onLine(String l) {
      if (cancelled) {
        return;
      }
      if (l.isEmpty()) {
        if (hasData) {
          listener.onEvent(new ServerSentEvent(event, data.toString()), context);
        }
        event = null;
        data.setLength(0);
        hasData = false;
        return;
      }
      if (l.startsWith(":")) {
        return;
      }
      int colon = l.indexOf(':');
      String field = colon < 0 ? l : l.substring(0, colon);
      String value = colon < 0 ? "" : l.substring(colon + 1 < l.length() && l.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1);
      switch (field) {
        case "event" -> event = value;
        case "data" -> {
          if (hasData) {
            data.append('\n');
          }
          data.append(value);
          hasData = true;
        }
        default -> {
          // id, retry: not used by model APIs
        }
      }
    }

    private static byte[] concat(byte[] a, byte[] b) {
      byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }
  }
}
