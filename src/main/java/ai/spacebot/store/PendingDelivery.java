package ai.spacebot.store;

import ai.spacebot.bus.OutboundMessage;

/** An outbox row not yet delivered: what to send and how often it was tried. */
public record PendingDelivery(String outboxId, OutboundMessage message, int attempts) {}
