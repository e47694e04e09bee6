package ai.spacebot.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scripted, OpenAI-compatible model server for tests and benchmarks. It speaks the real
 * Chat Completions wire format (SSE streaming included), so the production HTTP client and
 * LangChain4j parsing are exercised end to end instead of being mocked away.
 *
 * <p>Each request to {@code POST /v1/chat/completions} consumes the next {@link ModelStep}
 * from a FIFO script; with the script empty, a default responder decides (plain "ok" unless
 * changed with {@link #respondWith}). Every request is recorded as a {@link RecordedRequest}.
 *
 * <p>The server runs on its own Vertx so it is independent of the system under test. Nothing
 * here blocks the event loop: delays are timers, so it copes with ~1000 concurrent streams.
 */
public final class ScriptedModelServer implements AutoCloseable {

  private static final ModelStep DEFAULT_REPLY = ModelStep.text("ok");

  private final Vertx vertx;
  private final HttpServer server;
  private final Queue<ModelStep> script = new ConcurrentLinkedQueue<>();
  private final Queue<RecordedRequest> records = new ConcurrentLinkedQueue<>();
  private final AtomicInteger nextIndex = new AtomicInteger();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final Object arrivals = new Object();
  private volatile long lastArrivalNanos = System.nanoTime();
  private final Set<HttpConnection> hanging = ConcurrentHashMap.newKeySet();
  private volatile Function<RecordedRequest, ModelStep> responder = r -> DEFAULT_REPLY;

  private ScriptedModelServer(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts on 127.0.0.1 on a free port; blocks until listening. Call from a non-Vert.x thread. */
  public static ScriptedModelServer start() {
    Vertx vertx = Vertx.vertx();
    // h2c is off so every client talks plain HTTP/1.1 with keep-alive, whatever upgrade it offers;
    // the JDK client then pools one connection per in-flight request, as against a real endpoint.
    HttpServerOptions options = new HttpServerOptions()
        .setHost("127.0.0.1").setPort(0).setHttp2ClearTextEnabled(false)
        .setHandle100ContinueAutomatically(true);
    HttpServer server = vertx.createHttpServer(options);
    ScriptedModelServer model = new ScriptedModelServer(vertx, server);
    server.requestHandler(model::route);
    try {
      server.listen().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("scripted model server did not start", e);
    }
    return model;
  }

  public int port() { return server.actualPort(); }

  /** Base URL for OpenAI clients, e.g. {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() { return "http://127.0.0.1:" + port() + "/v1"; }

  // ---- scripting ----

  /** Queues steps; each chat request consumes the next one in FIFO order. */
  public ScriptedModelServer enqueue(ModelStep... steps) {
    for (ModelStep step : steps) script.add(step);
    return this;
  }

  /**
   * Responder used when the script is empty. It runs on the server's event loop, so it must be
   * quick and must not block.
   */
  public ScriptedModelServer respondWith(Function<RecordedRequest, ModelStep> fn) {
    this.responder = fn;
    return this;
  }

  /** Steps still waiting in the script. */
  public int pendingSteps() { return script.size(); }

  /** Drops queued steps and recorded requests and restores the default "ok" responder. */
  public void reset() {
    script.clear();
    records.clear();
    requestCount.set(0);
    nextIndex.set(0);
    responder = r -> DEFAULT_REPLY;
  }

  // ---- recording ----

  /** Snapshot of the chat requests received so far, in arrival order. */
  public List<RecordedRequest> requests() { return new ArrayList<>(records); }

  public int requestCount() { return requestCount.get(); }

  /** The most recent chat request, or null if none arrived. */
  public RecordedRequest lastRequest() {
    List<RecordedRequest> all = requests();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /** Blocks until at least {@code n} chat requests arrived; throws AssertionError on timeout. */
  public List<RecordedRequest> awaitRequests(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (arrivals) {
      while (requestCount.get() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("expected " + n + " model requests within " + timeout
              + " but got " + requestCount.get() + ": " + requests());
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(arrivals, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while awaiting model requests", e);
        }
      }
    }
    return requests();
  }

  /**
   * Blocks until no chat request has arrived for {@code quiet}: a test that leaves processes behind
   * (a re-trigger after its last assertion) must not answer from the next test's script.
   */
  public void awaitQuiet(Duration quiet, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - lastArrivalNanos < quiet.toNanos()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("model requests kept arriving for " + timeout);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while awaiting a quiet model", e);
      }
    }
  }

  /** Sum of {@link RecordedRequest#modelNanos()} over finished requests: time spent "in the model". */
  public long totalModelNanos() {
    long total = 0;
    for (RecordedRequest r : records) total += r.modelNanos();
    return total;
  }

  // ---- serving ----

  private void route(HttpServerRequest req) {
    String path = req.path();
    // Any .../chat/completions: Azure's deployment paths and proxies with a prefix land here too.
    if (req.method() == HttpMethod.POST && path.endsWith("/chat/completions")) {
      req.body().onSuccess(body -> chat(req, body));
    } else if (req.method() == HttpMethod.GET && path.equals("/v1/models")) {
      sendJson(req.response(), 200, OpenAiWire.models(epochSeconds()));
    } else {
      sendJson(req.response(), 404, OpenAiWire.error(404, "Unknown path: " + req.method() + " " + path));
    }
  }

  private void chat(HttpServerRequest req, Buffer raw) {
    long receivedNanos = System.nanoTime();
    JsonObject body;
    try {
      body = raw.toJsonObject();
    } catch (RuntimeException e) {
      sendJson(req.response(), 400, OpenAiWire.error(400, "Request body is not JSON: " + e.getMessage()));
      return;
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
    RecordedRequest rec = new RecordedRequest(nextIndex.incrementAndGet(), headers, body, Instant.now(), receivedNanos);
    rec.uri(req.uri());
    rec.rawBody(raw);
    records.add(rec);
    requestCount.incrementAndGet(); // after add, so a waiter woken by the count sees the record
    lastArrivalNanos = System.nanoTime();
    synchronized (arrivals) {
      arrivals.notifyAll();
    }

    ModelStep step = script.poll();
    if (step == null) {
      try {
        step = responder.apply(rec);
      } catch (RuntimeException e) {
        step = ModelStep.error(500, "scripted responder failed: " + e);
      }
    }
    play(req, rec, step);
  }

  // Model time ends when the last bytes are handed to the connection: it is marked just before
  // end(), so a client that has seen the whole response always sees the request as finished.
  private void play(HttpServerRequest req, RecordedRequest rec, ModelStep step) {
    HttpServerResponse resp = req.response();
    // A client that gives up (timeout, killed process) ends the request's model time too.
    resp.closeHandler(v -> rec.markFinished(System.nanoTime()));
    if (step.kind() == ModelStep.Kind.HANG) {
      HttpConnection conn = req.connection();
      hanging.add(conn);
      conn.closeHandler(v -> hanging.remove(conn));
      return;
    }
    after(step.delay(), () -> {
      if (resp.closed()) return;
      step.headers().forEach(resp::putHeader);
      if (step.kind() == ModelStep.Kind.ERROR) {
        rec.markFinished(System.nanoTime());
        sendJson(resp, step.status(), OpenAiWire.error(step.status(), step.errorMessage(), step.errorCode()));
        return;
      }
      OpenAiWire.Envelope env = new OpenAiWire.Envelope(
          "chatcmpl-" + rec.index(), epochSeconds(), rec.body().getString("model", "mock"), rec.index());
      JsonObject usage = OpenAiWire.usage(rec.body(), step);
      if (rec.streaming()) {
        JsonObject streamOptions = rec.body().getJsonObject("stream_options");
        boolean includeUsage = streamOptions != null && streamOptions.getBoolean("include_usage", false);
        List<String> frames = OpenAiWire.streamFrames(step, env, includeUsage ? usage : null);
        if (step.cutAfterFrames() > 0) {
          cut(req, resp, rec, frames.subList(0, Math.min(step.cutAfterFrames(), frames.size() - 1)));
        } else {
          stream(resp, rec, frames, step.chunkDelay());
        }
      } else {
        rec.markFinished(System.nanoTime());
        sendJson(resp, 200, OpenAiWire.completion(step, env, usage));
      }
    });
  }

  private void stream(HttpServerResponse resp, RecordedRequest rec, List<String> frames, Duration chunkDelay) {
    resp.setStatusCode(200).setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache");
    if (chunkDelay.isZero()) {
      // One write for the whole stream: the client still parses separate SSE events, and a
      // thousand concurrent streams cost a thousand writes instead of ten thousand.
      rec.markFinished(System.nanoTime());
      resp.end(String.join("", frames));
    } else {
      writeFrom(resp, rec, frames, 0, chunkDelay);
    }
  }

  /** Sends some frames, then drops the connection as a failing upstream would mid-stream. */
  private void cut(HttpServerRequest req, HttpServerResponse resp, RecordedRequest rec, List<String> frames) {
    resp.setStatusCode(200).setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache");
    cutFrom(req, resp, rec, frames, 0);
  }

  /**
   * Writes the frames one by one, 20 ms apart, then drops the connection 200 ms after the last is on the
   * wire: the client surely has its first tokens before it sees the stream break, whatever the load.
   */
  private void cutFrom(HttpServerRequest req, HttpServerResponse resp, RecordedRequest rec, List<String> frames, int i) {
    if (i == frames.size()) {
      vertx.setTimer(200, id -> {
        rec.markFinished(System.nanoTime());
        req.connection().close();
      });
      return;
    }
    resp.write(frames.get(i)).onComplete(written -> vertx.setTimer(20, id -> cutFrom(req, resp, rec, frames, i + 1)));
  }

  private void writeFrom(HttpServerResponse resp, RecordedRequest rec, List<String> frames, int i, Duration chunkDelay) {
    if (resp.closed()) return; // client went away mid-stream; closeHandler already recorded the end
    if (i == frames.size() - 1) {
      rec.markFinished(System.nanoTime());
      resp.end(frames.get(i));
      return;
    }
    resp.write(frames.get(i));
    after(chunkDelay, () -> writeFrom(resp, rec, frames, i + 1, chunkDelay));
  }

  private void after(Duration d, Runnable action) {
    long ms = d.toMillis();
    if (ms <= 0) action.run();
    else vertx.setTimer(ms, id -> action.run());
  }

  private static void sendJson(HttpServerResponse resp, int status, JsonObject json) {
    resp.setStatusCode(status).putHeader("Content-Type", "application/json").end(json.encode());
  }

  private static long epochSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  /** Stops the server (dropping hung connections) and its Vertx; blocks until done. */
  @Override
  public void close() {
    try {
      for (HttpConnection conn : hanging) conn.close();
      server.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Closing Vertx below releases whatever the server still holds.
    } finally {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // Best effort: a test must not fail because teardown was slow.
      }
    }
  }
}
