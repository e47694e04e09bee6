package ai.spacebot.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The other side of a generic webhook: a real local HTTP server that takes the bot's signed callbacks and records
 * each one (body, headers, the status it answered, when it arrived). It can answer the next calls with a fault (429
 * with {@code Retry-After}, 500, 403) and go down for a while and come back on the same port.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One callback as it arrived. */
  public record Arrival(JsonObject body, String raw, String timestamp, String signature, int answered, long atMillis) {
    public boolean accepted() {
      return answered >= 200 && answered < 300;
    }
  }

  private record Fault(int status, int retryAfterSeconds) {}

  private final Vertx vertx = Vertx.vertx();
  private final List<Arrival> arrivals = new ArrayList<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final AtomicInteger starts = new AtomicInteger();
  private volatile HttpServer server;
  private final int port;

  private WebhookReceiver(int port) {
    this.port = port;
  }

  public static WebhookReceiver start() {
    WebhookReceiver receiver;
    try {
      receiver = new WebhookReceiver(TestApp.freePort());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    receiver.up();
    return receiver;
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  /** Listens again (after {@link #down()}). */
  public synchronized void up() {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1").await();
    starts.incrementAndGet();
  }

  /** Stops listening: callbacks are refused until {@link #up()}. */
  public synchronized void down() {
    HttpServer s = server;
    server = null;
    if (s != null) {
      s.close().await();
    }
  }

  /** Down now, up again after {@code millis}, on a thread of its own. */
  public void bounce(long millis) {
    down();
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(millis);
        up();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "webhook-receiver-bounce");
    t.setDaemon(true);
    t.start();
  }

  /** How often it started listening. */
  public int starts() {
    return starts.get();
  }

  /** The next {@code count} message callbacks answer {@code status} (a 429 with {@code Retry-After}). */
  public synchronized void failNext(int status, int retryAfterSeconds, int count) {
    for (int i = 0; i < count; i++) {
      faults.add(new Fault(status, retryAfterSeconds));
    }
  }

  public synchronized List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  /** The accepted callbacks of one kind for one of the other system's conversations, in order. */
  public List<Arrival> accepted(String kind, String conversation) {
    return arrivals().stream().filter(Arrival::accepted)
        .filter(a -> kind.equals(a.body().getString("kind")) && conversation.equals(a.body().getString("conversation_id")))
        .toList();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(buffer -> {
      String raw = buffer.toString();
      JsonObject body;
      try {
        body = new JsonObject(raw);
      } catch (RuntimeException e) {
        body = new JsonObject();
      }
      int status = 200;
      Fault fault = null;
      synchronized (this) {
        if (!"typing".equals(body.getString("kind")) && !faults.isEmpty()) {
          fault = faults.poll();
          status = fault.status();
        }
        arrivals.add(new Arrival(body, raw, request.getHeader("X-Spacebot-Timestamp"),
            request.getHeader("X-Spacebot-Signature"), status, System.currentTimeMillis()));
      }
      var response = request.response().setStatusCode(status);
      if (fault != null && status == 429) {
        response.putHeader("Retry-After", String.valueOf(fault.retryAfterSeconds()));
      }
      response.putHeader("Content-Type", "application/json").end(status == 200 ? "{\"ok\":true}" : "{\"ok\":false}");
    });
  }

  @Override
  public void close() {
    down();
    vertx.close().await();
  }
}
