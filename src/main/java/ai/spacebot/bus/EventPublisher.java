package ai.spacebot.bus;

import ai.spacebot.secrets.JsonRedaction;
import ai.spacebot.secrets.SecretScrubber;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/**
 * Publishes {@link AgentEvent}s cluster-wide on {@link Addresses#EVENTS}. Every event leaves through here, so this
 * is where events are scrubbed: each string in it has known secret values and credential patterns redacted
 * before it reaches the bus (other nodes, the event stream, webhooks).
 */
public final class EventPublisher {
  private final EventBus bus;
  private final SecretScrubber scrubber;

  public EventPublisher(Vertx vertx) {
    this.bus = vertx.eventBus();
    this.scrubber = SecretScrubber.of(vertx);
  }

  public void publish(AgentEvent event) {
    bus.publish(Addresses.EVENTS, JsonRedaction.apply(event.toJson(), scrubber::redactAll));
  }
}
