package ai.spacebot.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Test client for a Server-Sent Events endpoint. It keeps one streaming GET open, parses events
 * as they arrive and lets the test thread wait for the one it cares about.
 *
 * <p>Events land both in a queue, consumed by {@link #await}, and in a list of everything seen,
 * which is what a failing {@code await} prints, so a timeout shows what the server did send.
 */
public final class SseClient implements AutoCloseable {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final long POLL_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** Thrown by {@code connect} when the endpoint answers with a status other than 200. */
  private final StringBuilder raw = new StringBuilder();

  public static final class UnexpectedStatusException extends RuntimeException {
    private final int status;
    private final String body;

    UnexpectedStatusException(int status, String body) {
      super("SSE endpoint answered " + status + ": " + body);
      this.status = status;
      this.body = body;
    }

    public int status() { return status; }
    public String body() { return body; }
  }

  // Starting a Vertx takes a while and tests open many streams, so clients that are not
  // handed a Vertx share one for the life of the test JVM.
  private static Vertx sharedVertx;

  private final HttpClientAgent client;
  private final LinkedBlockingQueue<SseEvent> queue = new LinkedBlockingQueue<>();
  private final List<SseEvent> all = new ArrayList<>();
  private final SseParser parser = new SseParser(this::received);
  private volatile int status;
  private volatile boolean closed;
  private volatile Throwable failure;

  private SseClient(HttpClientAgent client) {
    this.client = client;
  }

  public static SseClient connect(String url) {
    return connect(url, Map.of());
  }

  /** Opens the stream on a shared Vertx; blocks until the response headers arrived. */
  public static SseClient connect(String url, Map<String, String> headers) {
    return connect(sharedVertx(), url, headers);
  }

  /**
   * Opens the stream with {@code vertx}; blocks until the response headers arrived, so call it
   * from a test thread, not an event loop. Throws {@link UnexpectedStatusException} unless 200.
   */
  public static SseClient connect(Vertx vertx, String url, Map<String, String> headers) {
    // One connection per client: the stream occupies it for as long as the client lives.
    HttpClientAgent http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(1));
    SseClient sse = new SseClient(http);
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET).setAbsoluteURI(url)
        .putHeader("Accept", "text/event-stream").putHeader("Cache-Control", "no-cache");
    headers.forEach(options::putHeader);
    // The response handlers are installed in compose, on the event loop, before any body
    // data can be delivered; doing it after await() on the test thread could drop events.
    Future<Void> opened = http.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.statusCode() == 200 ? sse.attach(resp) : rejected(resp));
    try {
      opened.await(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return sse;
    } catch (UnexpectedStatusException e) {
      http.close();
      throw e;
    } catch (Exception e) {
      http.close();
      throw new IllegalStateException("could not open SSE stream " + url, e);
    }
  }

  private static synchronized Vertx sharedVertx() {
    if (sharedVertx == null) sharedVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    return sharedVertx;
  }

  private static Future<Void> rejected(HttpClientResponse resp) {
    int code = resp.statusCode();
    return resp.body().transform(ar -> Future.failedFuture(
        new UnexpectedStatusException(code, ar.succeeded() ? ar.result().toString() : "")));
  }

  private Future<Void> attach(HttpClientResponse resp) {
    status = resp.statusCode();
    resp.handler(buf -> {
      synchronized (raw) {
        raw.append(buf.toString(java.nio.charset.StandardCharsets.UTF_8));
      }
      parser.feed(buf.getBytes());
    });
    resp.endHandler(v -> closed = true);
    resp.exceptionHandler(t -> {
      failure = t;
      closed = true;
    });
    return Future.succeededFuture();
  }

  private void received(SseEvent event) {
    synchronized (all) {
      all.add(event);
    }
    queue.add(event);
  }

  public int status() { return status; }

  /** Snapshot of every event received so far, including those {@link #await} skipped. */
  /** Everything the stream delivered so far, as bytes on the wire (decoded as UTF-8), before any parsing. */
  public String rawText() {
    synchronized (raw) {
      return raw.toString();
    }
  }

  public List<SseEvent> events() {
    synchronized (all) {
      return new ArrayList<>(all);
    }
  }

  /** Last id seen on the stream, to resume with a {@code Last-Event-ID} header. */
  public String lastEventId() { return parser.lastEventId(); }

  /** True once the server ended the stream, the connection failed, or {@link #close} was called. */
  public boolean isClosed() { return closed; }

  /** The connection error that ended the stream, if any. */
  public Throwable failure() { return failure; }

  public SseEvent await(String eventName, Duration timeout) {
    return await(eventName, null, timeout);
  }

  /**
   * Waits for the next event named {@code eventName} (any name if null) whose JSON data passes
   * {@code filter} (any data if null). Events in between are consumed but stay in
   * {@link #events()}. Throws AssertionError, listing what was seen, on timeout or if the
   * stream closes first.
   */
  public SseEvent await(String eventName, Predicate<JsonObject> filter, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) throw notSeen("no matching event within " + timeout, eventName);
      SseEvent event;
      try {
        event = queue.poll(Math.min(left, POLL_SLICE_NANOS), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while awaiting SSE event " + eventName, e);
      }
      if (event == null) {
        // Events are queued before the close flag is set, so an empty queue after close is final.
        if (closed && queue.isEmpty()) throw notSeen("stream closed before a matching event", eventName);
      } else if (matches(event, eventName, filter)) {
        return event;
      }
    }
  }

  private static boolean matches(SseEvent event, String eventName, Predicate<JsonObject> filter) {
    if (eventName != null && !eventName.equals(event.event())) return false;
    if (filter == null) return true;
    try {
      return filter.test(event.json());
    } catch (RuntimeException notJsonOrOtherShape) {
      // Non-JSON data, or a filter that trips over a differently shaped event: not a match.
      return false;
    }
  }

  private AssertionError notSeen(String why, String eventName) {
    StringBuilder msg = new StringBuilder("SSE: ").append(why).append(" (wanted event=")
        .append(eventName == null ? "<any>" : eventName).append(", status=").append(status)
        .append(", closed=").append(closed);
    if (failure != null) msg.append(", failure=").append(failure);
    List<SseEvent> seen = events();
    msg.append("). Seen ").append(seen.size()).append(" events:");
    int from = Math.max(0, seen.size() - 50);
    if (from > 0) msg.append("\n  ... ").append(from).append(" earlier");
    for (SseEvent e : seen.subList(from, seen.size())) {
      String data = e.data().length() > 300 ? e.data().substring(0, 300) + "..." : e.data();
      msg.append("\n  id=").append(e.id()).append(" event=").append(e.event()).append(" data=").append(data);
    }
    return new AssertionError(msg.toString());
  }

  /** Closes the stream and its HTTP client (not the Vertx). */
  @Override
  public void close() {
    closed = true;
    try {
      client.close().await(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Best effort: a slow close must not fail a test.
    }
  }
}
