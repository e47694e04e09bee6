package ai.spacebot.messaging.portal;

import ai.spacebot.bus.AgentEvent;
import ai.spacebot.bus.EventPublisher;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.messaging.AdapterVerticle;
import ai.spacebot.messaging.Capabilities;
import ai.spacebot.messaging.format.Dialect;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web chat's platform adapter. The portal has no remote platform: "delivering" a reply means publishing it
 * on the event stream, which every node's {@code /api/events} forwards to browsers (the page renders the
 * Markdown itself, so nothing is split). Retried deliveries with an already-seen idempotency key are
 * acknowledged without publishing again. Typing is the channel's {@code typing_state} event already.
 */
public final class PortalAdapterVerticle extends AdapterVerticle {
  public static final String PLATFORM = "portal";
  private static final int REMEMBERED_KEYS = 10_000;
  private static final Capabilities CAPABILITIES = new Capabilities(Integer.MAX_VALUE, Dialect.PLAIN, 0, true, false,
      false, false, false);

  private final Map<String, Boolean> delivered = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED_KEYS;
    }
  };
  private EventPublisher events;

  public PortalAdapterVerticle(MeterRegistry registry) {
    super(registry);
  }

  @Override
  public String platform() {
    return PLATFORM;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  protected Future<Void> connect() {
    events = new EventPublisher(vertx);
    return Future.succeededFuture();
  }

  @Override
  protected Future<Void> disconnect() {
    return Future.succeededFuture();
  }

  @Override
  protected List<Step> plan(OutboundMessage out) {
    return List.of(() -> {
      if (delivered.putIfAbsent(out.idempotencyKey(), Boolean.TRUE) == null) {
        events.publish(switch (out.kind()) {
          case OutboundMessage.REACTION -> new AgentEvent.Reaction(out.agentId(), out.conversationId(), out.text(),
              out.inReplyTo());
          default -> new AgentEvent.OutboundMessageEvent(out.agentId(), out.conversationId(), out.id(), withRich(out),
              out.inReplyTo());
        });
      }
      return Future.succeededFuture(out.id());
    });
  }

  /** The page shows text: cards, buttons and polls follow the message as text. */
  private static String withRich(OutboundMessage out) {
    ai.spacebot.bus.RichReply rich = ai.spacebot.bus.RichReply.fromJson(out.rich());
    return rich == null ? out.text() : out.text() + "\n\n" + rich.asText();
  }

  @Override
  protected void sendTyping(String conversationId) {
    // The channel's typing_state event reaches the page through /api/events.
  }
}
