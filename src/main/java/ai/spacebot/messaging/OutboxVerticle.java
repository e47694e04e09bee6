package ai.spacebot.messaging;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.secrets.OutboundGuard;
import ai.spacebot.secrets.SecretScrubber;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.store.AdapterStateRepository;
import ai.spacebot.store.OutboxRepository;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery services behind {@code GET /api/deliveries} and its retry, and the adapters' durable state. The
 * consumers are node-local: until the stores move to Postgres each node keeps its own outbox.
 */
public final class OutboxVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(OutboxVerticle.class);
  private static final Set<String> STATES = Set.of(OutboxRepository.PENDING, OutboxRepository.DELIVERED,
      OutboxRepository.FAILED);

  private final SpacebotConfig config;
  private final OutboxRepository outbox;
  private final AdapterStateRepository state;
  private OutboxDispatcher dispatcher;
  private OutboundGuard guard;

  public OutboxVerticle(SpacebotConfig config, OutboxRepository outbox, AdapterStateRepository state) {
    this.config = config;
    this.outbox = outbox;
    this.state = state;
  }

  @Override
  public Future<?> start() {
    dispatcher = new OutboxDispatcher(vertx, outbox, config.delivery());
    guard = new OutboundGuard(SecretScrubber.of(vertx));
    var bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<JsonObject>localConsumer(Addresses.DELIVERIES_LIST, this::list).completion(),
        bus.<JsonObject>localConsumer(Addresses.DELIVERY_RETRY, this::retry).completion(),
        bus.<JsonObject>localConsumer(Addresses.OUTBOX_AFTER, this::after).completion(),
        bus.<JsonObject>localConsumer(Addresses.ADAPTER_STATE_GET, this::getState).completion(),
        bus.<JsonObject>localConsumer(Addresses.ADAPTER_STATE_PUT, this::putState).completion()));
  }

  private void list(Message<JsonObject> msg) {
    String status = msg.body().getString("state");
    if (status != null && !STATES.contains(status)) {
      msg.fail(400, "state must be pending, delivered or failed");
      return;
    }
    int limit = Math.max(1, Math.min(1000, msg.body().getInteger("limit", 100)));
    outbox.list(status, msg.body().getString("platform"), limit).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("Could not list deliveries: {}", ar.cause().getMessage());
        msg.fail(500, "could not list deliveries");
      } else {
        msg.reply(new JsonObject().put("deliveries", new JsonArray(ar.result())));
      }
    });
  }

  /** A conversation's outbox after a cursor, sealed as a delivery would be: polling must not bypass the guard. */
  private void after(Message<JsonObject> msg) {
    String conversation = msg.body().getString("conversation_id");
    long cursor = Math.max(0, msg.body().getLong("after", 0L));
    int limit = Math.max(1, Math.min(1000, msg.body().getInteger("limit", 100)));
    outbox.after(conversation, cursor, limit).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("[{}] Could not read the outbox: {}", conversation, ar.cause().getMessage());
        msg.fail(500, "could not read the outbox");
        return;
      }
      JsonArray out = new JsonArray();
      long next = cursor;
      for (OutboxRepository.Queued q : ar.result()) {
        OutboundMessage m = guard.seal(q.message()).message();
        JsonObject row = new JsonObject().put("cursor", q.cursor()).put("message_id", m.id()).put("kind", m.kind())
            .put("text", m.text()).put("in_reply_to", m.replyToPlatformId()).put("status", q.status())
            .put("created_at", q.createdAt());
        if (m.rich() != null) {
          row.put("rich", m.rich());
        }
        out.add(row);
        next = q.cursor();
      }
      msg.reply(new JsonObject().put("messages", out).put("next_cursor", next));
    });
  }

  private void retry(Message<JsonObject> msg) {
    String id = msg.body().getString("id");
    outbox.retry(id).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("Could not retry delivery {}: {}", id, ar.cause().getMessage());
        msg.fail(500, "could not retry the delivery");
        return;
      }
      OutboxRepository.Retry result = ar.result();
      if (result instanceof OutboxRepository.Retry.NotFound) {
        msg.fail(404, "no delivery " + id);
      } else if (result instanceof OutboxRepository.Retry.NotFailed f) {
        msg.fail(409, "delivery " + id + " is " + f.status() + ", not failed");
      } else if (result instanceof OutboxRepository.Retry.Queued q) {
        log.info("[{}] Delivery {} retried by an operator", q.delivery().message().conversationId(), id);
        dispatcher.deliver(q.delivery());
        msg.reply(new JsonObject().put("id", id).put("status", OutboxRepository.PENDING));
      }
    });
  }

  private void getState(Message<JsonObject> msg) {
    state.get(msg.body().getString("adapter"), msg.body().getString("key"))
        .onSuccess(v -> msg.reply(new JsonObject().put("value", v)))
        .onFailure(err -> msg.fail(500, "could not read adapter state: " + err.getMessage()));
  }

  private void putState(Message<JsonObject> msg) {
    state.put(msg.body().getString("adapter"), msg.body().getString("key"), msg.body().getString("value"))
        .onSuccess(v -> msg.reply(new JsonObject()))
        .onFailure(err -> msg.fail(500, "could not store adapter state: " + err.getMessage()));
  }
}
