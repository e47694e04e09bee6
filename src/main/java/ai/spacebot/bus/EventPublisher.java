package ai.spacebot.bus;

import io.vertx.core.eventbus.EventBus;

/** Publishes {@link AgentEvent}s cluster-wide on {@link Addresses#EVENTS}. */
public final class EventPublisher {
  private final EventBus bus;

  public EventPublisher(EventBus bus) {
    this.bus = bus;
  }

  public void publish(AgentEvent event) {
    bus.publish(Addresses.EVENTS, event.toJson());
  }
}
