package ai.spacebot.messaging.portal;

import ai.spacebot.bus.Addresses;
import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.bus.OutboundMessage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web chat's platform adapter. The portal has no remote platform: "delivering" a reply means
 * publishing it on the event stream, which every node's {@code /api/events} forwards to browsers.
 * Retried deliveries with an already-seen idempotency key are acknowledged without publishing again.
 */
public final class PortalAdapterVerticle extends VerticleBase {
  public static final String PLATFORM = "portal";
  private static final int REMEMBERED_KEYS = 10_000;

  private final Map<String, Boolean> delivered = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED_KEYS;
    }
  };

  @Override
  public Future<?> start() {
    EventPublisher events = new EventPublisher(vertx.eventBus());
    return vertx.eventBus().<JsonObject>consumer(Addresses.outbound(PLATFORM), msg -> {
      OutboundMessage out = OutboundMessage.fromJson(msg.body());
      if (delivered.putIfAbsent(out.idempotencyKey(), Boolean.TRUE) == null) {
        events.publish(switch (out.kind()) {
          case OutboundMessage.REACTION -> new AgentEvent.Reaction(out.agentId(), out.conversationId(), out.text(), out.inReplyTo());
          default -> new AgentEvent.OutboundMessageEvent(out.agentId(), out.conversationId(), out.id(), out.text(), out.inReplyTo());
        });
      }
      msg.reply(new JsonObject().put("delivered", true));
    }).completion();
  }
}
