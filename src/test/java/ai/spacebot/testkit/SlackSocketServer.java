package ai.spacebot.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Socket Mode server, as Slack's behaves (no third-party one exists): a client that connects gets
 * {@code hello}; {@link #send} pushes an envelope ({@code events_api}, {@code interactive}, {@code slash_commands})
 * to the connected client; the client's acknowledgements ({@code {"envelope_id":..}}, with a payload for
 * commands and actions that answer) are recorded; {@link #drop} closes the connection as Slack does when it
 * rotates servers, and the client must come back.
 */
public final class SlackSocketServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger connections = new AtomicInteger();
  private final Map<String, JsonObject> acks = new ConcurrentHashMap<>();
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private volatile ServerWebSocket current;

  private SlackSocketServer(Vertx vertx) {
    this.server = vertx.createHttpServer().webSocketHandler(this::accept);
  }

  public static SlackSocketServer start(Vertx vertx) throws Exception {
    SlackSocketServer s = new SlackSocketServer(vertx);
    s.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return s;
  }

  public String url() {
    return "ws://127.0.0.1:" + server.actualPort() + "/link/?ticket=local";
  }

  private void accept(ServerWebSocket ws) {
    connections.incrementAndGet();
    current = ws;
    ws.textMessageHandler(text -> {
      try {
        JsonObject ack = new JsonObject(text);
        String id = ack.getString("envelope_id");
        if (id != null) {
          acks.put(id, ack);
        }
      } catch (RuntimeException ignored) {
        // not an ack
      }
    });
    ws.closeHandler(v -> {
      if (current == ws) {
        current = null;
      }
    });
    ws.writeTextMessage(new JsonObject().put("type", "hello").put("num_connections", 1)
        .put("debug_info", new JsonObject().put("host", "local").put("approximate_connection_time", 18060))
        .put("connection_info", new JsonObject().put("app_id", "A000000001")).encode());
  }

  /** Pushes an envelope to the connected client; returns its envelope id. */
  public String send(String type, JsonObject payload, int retryAttempt) {
    ServerWebSocket ws = current;
    if (ws == null) {
      throw new IllegalStateException("no Socket Mode client is connected");
    }
    String id = UUID.randomUUID().toString();
    JsonObject envelope = new JsonObject().put("envelope_id", id).put("type", type).put("payload", payload)
        .put("accepts_response_payload", !type.equals("events_api"));
    if (type.equals("events_api")) {
      envelope.put("retry_attempt", retryAttempt).put("retry_reason", retryAttempt > 0 ? "timeout" : "");
    }
    sent.add(id);
    ws.writeTextMessage(envelope.encode());
    return id;
  }

  public boolean connected() {
    return current != null;
  }

  /** The client's acknowledgement of an envelope, or null while there is none. */
  public JsonObject ack(String envelopeId) {
    return acks.get(envelopeId);
  }

  public int connections() {
    return connections.get();
  }

  /** Closes the current connection from the server's side. */
  public void drop() {
    ServerWebSocket ws = current;
    if (ws != null) {
      current = null;
      ws.close((short) 1001, "going away");
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
