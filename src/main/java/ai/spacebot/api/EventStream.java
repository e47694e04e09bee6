package ai.spacebot.api;

import ai.spacebot.bus.Addresses;
import ai.spacebot.config.EventsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans the bus's {@link Addresses#EVENTS} out to Server-Sent Events clients.
 *
 * <p>Event ids are {@code <boot>-<seq>}: a client that reconnects with {@code Last-Event-ID} gets what it
 * missed from a bounded replay buffer, and after a server restart (a new boot) it gets the whole buffer
 * instead of silently nothing. A slow client never slows anyone else: its backlog is bounded, and what
 * does not fit is dropped and reported to it as {@code lagged{skipped}}. The backlog is bounded in bytes
 * too (events can be large): a client whose pending bytes pass {@code client_buffer_bytes} is disconnected
 * and resumes with {@code Last-Event-ID}, so a reader that never reads cannot make the server grow.
 */
final class EventStream {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  /** @param visitorFrame what a web-chat visitor gets of this event, or null if nothing */
  private record Entry(long seq, String agentId, String channelId, Buffer frame, Buffer visitorFrame) {}

  /** What the web chat shows; everything else (branches, workers, compaction, ...) is the operator's. */
  private static final Set<String> VISITOR_TYPES = Set.of("inbound_message", "typing_state", "outbound_message_delta",
      "outbound_message", "reaction", "error", "tool_started", "tool_completed");
  /** A tool's arguments and result are process internals (commands, files, recalled memories): only its name shows. */
  private static final Set<String> TOOL_TYPES = Set.of("tool_started", "tool_completed");

  private final Vertx vertx;
  private final EventsConfig config;
  private final String boot = Long.toString(System.currentTimeMillis(), 36);
  private final Deque<Entry> replay = new ArrayDeque<>();
  private final Set<Client> clients = new LinkedHashSet<>();
  private long seq;

  EventStream(Vertx vertx, EventsConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  Future<Void> start() {
    vertx.setPeriodic(config.pingSeconds() * 1000L, id -> clients.forEach(Client::ping));
    return vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> onEvent(m.body())).completion();
  }

  int clientCount() {
    return clients.size();
  }

  /**
   * Starts streaming to a response; {@code lastEventId} may be null.
   *
   * @param connection closed if the client falls too far behind
   * @param visitor a web-chat visitor: gets only what the chat shows of each event (see {@link #VISITOR_TYPES})
   */
  void attach(HttpServerResponse response, HttpConnection connection, String agentId, String channelId,
      String lastEventId, boolean visitor) {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    Client client = new Client(response, connection, agentId, channelId, visitor);
    clients.add(client);
    response.closeHandler(v -> client.close());
    response.exceptionHandler(e -> client.close());
    response.drainHandler(v -> client.drain());
    response.write("retry: 2000\n\n");
    if (lastEventId != null) {
      client.replayAfter(lastEventId);
    }
  }

  private void onEvent(JsonObject event) {
    String type = event.getString("type", "event");
    long id = ++seq;
    Buffer frame = frame(id, type, event);
    Buffer visitorFrame = !VISITOR_TYPES.contains(type) ? null
        : !TOOL_TYPES.contains(type) ? frame
        : frame(id, type, new JsonObject().put("type", type).put("agent_id", event.getString("agent_id"))
            .put("channel_id", event.getString("channel_id")).put("tool_name", event.getString("tool_name")));
    Entry entry = new Entry(id, event.getString("agent_id"), event.getString("channel_id"), frame, visitorFrame);
    if (config.replayBuffer() > 0) {
      replay.addLast(entry);
      while (replay.size() > config.replayBuffer()) {
        replay.removeFirst();
      }
    }
    // A snapshot: offering may disconnect a client, which removes it from the set.
    for (Client c : clients.toArray(new Client[0])) {
      c.offer(entry);
    }
  }

  private Buffer frame(long id, String type, JsonObject event) {
    return Buffer.buffer("id: " + boot + "-" + id + "\nevent: " + type + "\ndata: " + event.encode() + "\n\n");
  }

  private final class Client {
    private final HttpServerResponse response;
    private final HttpConnection connection;
    private final String agentId;
    private final String channelId;
    private final boolean visitor;
    private final Deque<Buffer> backlog = new ArrayDeque<>();
    /** Bytes in {@link #backlog}; the connection's own write queue adds at most one 64 KiB batch beyond it. */
    private long backlogBytes;
    private long skipped;
    private boolean flushScheduled;
    private boolean closed;

    Client(HttpServerResponse response, HttpConnection connection, String agentId, String channelId, boolean visitor) {
      this.response = response;
      this.connection = connection;
      this.agentId = agentId;
      this.channelId = channelId;
      this.visitor = visitor;
    }

    void offer(Entry e) {
      if (closed) {
        return;
      }
      if ((agentId != null && !agentId.equals(e.agentId())) || (channelId != null && !channelId.equals(e.channelId()))) {
        return;
      }
      Buffer frame = visitor ? e.visitorFrame() : e.frame();
      if (frame == null) {
        return;
      }
      if (backlog.size() >= config.clientBuffer()) {
        drain(); // a writable client never loses events to the batching below
      }
      if (backlog.size() < config.clientBuffer()) {
        backlog.addLast(frame);
        backlogBytes += frame.length();
      } else {
        skipped++;
      }
      if (backlogBytes > config.clientBufferBytes()) {
        drain();
        if (backlogBytes > config.clientBufferBytes()) {
          disconnect();
          return;
        }
      }
      // Events of one event-loop tick go out in one write: one syscall instead of one per event.
      if (!flushScheduled) {
        flushScheduled = true;
        vertx.runOnContext(v -> {
          flushScheduled = false;
          drain();
        });
      }
    }

    void close() {
      closed = true;
      backlog.clear();
      backlogBytes = 0;
      clients.remove(this);
    }

    /** Cuts off a client that does not read fast enough; it reconnects with Last-Event-ID. */
    private void disconnect() {
      log.info("Disconnected a slow event-stream client at {}: {} bytes pending, over events.client_buffer_bytes ({})",
          connection.remoteAddress(), backlogBytes, config.clientBufferBytes());
      close();
      connection.close();
    }

    void drain() {
      if (closed) {
        return;
      }
      if (!backlog.isEmpty() && !response.writeQueueFull()) {
        Buffer batch = Buffer.buffer();
        while (!backlog.isEmpty() && batch.length() < 64 * 1024) {
          Buffer frame = backlog.removeFirst();
          backlogBytes -= frame.length();
          batch.appendBuffer(frame);
        }
        response.write(batch);
        if (!backlog.isEmpty() && !response.writeQueueFull()) {
          drain();
          return;
        }
      }
      if (backlog.isEmpty() && skipped > 0 && !response.writeQueueFull()) {
        response.write(lagged(skipped));
        skipped = 0;
      }
    }

    void ping() {
      if (!closed && backlog.isEmpty() && !response.writeQueueFull()) {
        response.write("event: ping\ndata: {}\n\n");
      }
    }

    void replayAfter(String lastEventId) {
      long after = 0;
      int dash = lastEventId.lastIndexOf('-');
      if (dash > 0 && lastEventId.substring(0, dash).equals(boot)) {
        try {
          after = Long.parseLong(lastEventId.substring(dash + 1));
        } catch (NumberFormatException ignored) {
          after = 0;
        }
      }
      long oldest = replay.isEmpty() ? seq + 1 : replay.peekFirst().seq();
      if (after > 0 && after + 1 < oldest) {
        response.write(lagged(oldest - after - 1));
      }
      for (Entry e : replay) {
        if (e.seq() > after) {
          offer(e);
        }
      }
    }

    private Buffer lagged(long count) {
      return Buffer.buffer("event: lagged\ndata: " + new JsonObject().put("type", "lagged").put("skipped", count).encode() + "\n\n");
    }
  }
}
